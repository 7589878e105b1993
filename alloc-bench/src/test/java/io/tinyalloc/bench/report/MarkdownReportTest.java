package io.tinyalloc.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MarkdownReportTest {

    private final String report = MarkdownReport.render(Samples.context(), Samples.measurements(), Samples.rss());

    @Test
    void shouldTurnTheSampleIntoTheExpectedRatioTable() {
        assertThat(report).contains("""
                **tinyalloc** vs each peer (x faster):

                | case | tinyalloc (ns/op) | vs floor | vs glibc | vs netty-pooled |
                | --- | ---: | ---: | ---: | ---: |
                | 16 B | 4.00 | 0.50x | 5.00x | 10.00x |
                | 4 KiB | 5.00 | 0.50x | 5.00x | 10.00x |
                | geometric mean |  | 0.50x | 5.00x | 10.00x |
                """);
    }

    @Test
    void shouldListRawScoresWithTheirErrors() {
        assertThat(report).contains("""
                | case | tinyalloc | floor | glibc | netty-pooled |
                | --- | ---: | ---: | ---: | ---: |
                | 16 B | 4.00 \u00b1 0.100 | 2.00 \u00b1 0.0500 | 20.0 | 40.0 \u00b1 1.00 |
                """);
    }

    @Test
    void shouldCompareKernelThroughputsAsTinyAllocOverPeer() {
        assertThat(report).contains("""
                | case | tinyalloc (ops/s) | vs glibc |
                | --- | ---: | ---: |
                | larson, 2 threads | 20.0 M | 2.00x |
                """);
    }

    @Test
    void shouldComparePeakRssAsPeerOverTinyAlloc() {
        assertThat(report).contains("**tinyalloc** vs each peer (x less memory):");
        assertThat(report).contains("""
                | case | tinyalloc (MiB) | vs glibc |
                | --- | ---: | ---: |
                | larson, 2 threads | 200 | 2.00x |
                | thread-exit, 2 threads | 150 | 1.00x |
                | geometric mean |  | 1.41x |
                """);
        assertThat(report).contains("| larson, 2 threads | 200.0 (+100.0) | 400.0 (+300.0) |");
    }

    @Test
    void shouldAlsoComparePeakRssGrowthOverTheJvmBaseline() {
        assertThat(report).contains("""
                The same on the growth over each JVM's own baseline (what the allocator added):

                **tinyalloc** vs each peer (x less memory):

                | case | tinyalloc (MiB) | vs glibc |
                | --- | ---: | ---: |
                | larson, 2 threads | 100 | 3.00x |
                | thread-exit, 2 threads | 50.0 | 1.00x |
                | geometric mean |  | 1.73x |
                """);
    }

    @Test
    void shouldStateTheDirectionOfRatiosTheFloorBudgetAndTheSkippedPeers() {
        assertThat(report).contains("above 1.00x TinyAlloc is faster");
        assertThat(report).contains("TinyAlloc's pair time as a multiple of the floor (DESIGN.md budget: at most 2x):"
                + " 16 B 2.00x, 4 KiB 2.00x.");
        assertThat(report).contains("- mimalloc not installed: apt-get install libmimalloc2.0");
        assertThat(report).contains("Reproduce: `./bench`");
        assertThat(report).contains("![pairs.svg](pairs.svg)");
    }

    @Test
    void shouldGiveTheMultipleOfTheThreadLocalFloorApartFromTheBudget() {
        List<Measurement> withThreadLocalFloor = new ArrayList<>(Samples.measurements());
        for (Measurement floor : Samples.measurements()) {
            if (floor.peer().equals("floor")) {
                withThreadLocalFloor.add(new Measurement(floor.suite(), floor.rowParams(), "floor-thread-local",
                        floor.score() * 1.6, Double.NaN, floor.unit()));
            }
        }

        String rendered = MarkdownReport.render(Samples.context(), withThreadLocalFloor, Samples.rss());

        assertThat(rendered).contains("TinyAlloc's pair time as a multiple of the floor (DESIGN.md budget: at most 2x):"
                + " 16 B 2.00x, 4 KiB 2.00x.");
        assertThat(rendered).contains("through a ThreadLocal (floor-thread-local, a reference for what a thread lookup"
                + " costs, not the budget's yardstick): 16 B 1.25x, 4 KiB 1.25x.");
        assertThat(rendered).contains("| case | tinyalloc (ns/op) | vs floor | vs floor-thread-local | vs glibc |");
        assertThat(report).doesNotContain("floor-thread-local");
    }

    @Test
    void shouldCompareAgainstGlibcWhenARunHasNoTinyAllocResults() {
        List<Measurement> peersOnly = Samples.measurements().stream()
                .filter(m -> !m.peer().equals("tinyalloc")).toList();

        String withoutTinyAlloc = MarkdownReport.render(Samples.context(), peersOnly, List.of());

        assertThat(withoutTinyAlloc).contains("No TinyAlloc results in this run, so the ratios are glibc against each peer.");
        assertThat(withoutTinyAlloc).contains("| 16 B | 20.0 | 0.10x | 2.00x |");
        assertThat(withoutTinyAlloc).doesNotContain("Peak RSS");
    }
}
