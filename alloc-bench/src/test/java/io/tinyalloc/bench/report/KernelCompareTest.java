package io.tinyalloc.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class KernelCompareTest {

    @Test
    void shouldParseAPlan() {
        KernelCompare.Plan plan = KernelCompare.Plan.parse("xmalloc-test", "2", "400", "100", "5", "tinyalloc",
                "mimalloc", "glibc");

        assertThat(plan).isEqualTo(new KernelCompare.Plan("xmalloc-test", 2, 400, 100, 5,
                List.of("tinyalloc", "mimalloc", "glibc")));
    }

    @Test
    void shouldNameTheBadArgumentAndItsValue() {
        assertThatThrownBy(() -> KernelCompare.Plan.parse("xmalloc-test", "2", "400", "100", "5", "tinyalloc"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("usage: KernelCompare")
                .hasMessageContaining("got 6 arguments");
        assertThatThrownBy(() -> KernelCompare.Plan.parse("nope", "2", "400", "100", "5", "tinyalloc", "glibc"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown kernel: kernel=nope");
        assertThatThrownBy(() -> KernelCompare.Plan.parse("larson", "2", "400", "100", "5", "tinyalloc", "tcmalloc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown allocator: allocator=tcmalloc");
        assertThatThrownBy(() -> KernelCompare.Plan.parse("larson", "0", "400", "100", "5", "tinyalloc", "glibc"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("threads must be at least 1: threads=0");
        assertThatThrownBy(() -> KernelCompare.Plan.parse("larson", "2", "x", "100", "5", "tinyalloc", "glibc"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("runs must be an integer: runs=\"x\"");
        assertThatThrownBy(() -> KernelCompare.Plan.parse("larson", "2", "4", "-1", "5", "tinyalloc", "glibc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("warmupRuns must be at least 0: warmupRuns=-1");
        assertThatThrownBy(() -> KernelCompare.Plan.parse("larson", "2", "4", "1", "5", "glibc", "glibc"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("an allocator is named twice");
    }

    @Test
    void shouldRotateTheOrderOfTheAllocatorsFromRoundToRound() {
        KernelCompare.Plan plan = KernelCompare.Plan.parse("larson", "2", "4", "1", "3", "tinyalloc", "mimalloc",
                "glibc");

        assertThat(plan.order(0)).containsExactly("tinyalloc", "mimalloc", "glibc");
        assertThat(plan.order(1)).containsExactly("mimalloc", "glibc", "tinyalloc");
        assertThat(plan.order(2)).containsExactly("glibc", "tinyalloc", "mimalloc");
        assertThat(plan.order(3)).containsExactly("tinyalloc", "mimalloc", "glibc");
    }

    @Test
    void shouldTakeRatiosWithinEachRoundAndLeaveFailedForksOut() {
        KernelCompare.Plan plan = KernelCompare.Plan.parse("larson", "2", "4", "1", "4", "tinyalloc", "mimalloc");
        // The machine gets slower and faster between rounds; within a round TinyAlloc is at 0.8x,
        // 0.9x and 1.0x. The fourth round's mimalloc fork failed.
        double[][] rates = {{80, 100}, {45, 50}, {200, 200}, {70, Double.NaN}};

        KernelCompare.Result result = new KernelCompare.Result(plan, rates);

        assertThat(result.ratios(1)).containsExactly(0.8, 0.9, 1.0);
        assertThat(result.medianRate(0)).isEqualTo(75.0);
        assertThat(result.medianRate(1)).isEqualTo(100.0);
        assertThat(result.summary()).containsExactly("tinyalloc: median 75.0 ops/s over 4 rounds",
                "mimalloc: median 100 ops/s over 3 rounds", "tinyalloc / mimalloc: 0.90x (0.80x - 1.00x, 3 rounds)");
    }

    @Test
    void shouldSayWhenNoRoundHasBothAllocators() {
        KernelCompare.Plan plan = KernelCompare.Plan.parse("larson", "2", "4", "1", "2", "tinyalloc", "mimalloc");
        double[][] rates = {{80, Double.NaN}, {Double.NaN, 50}};

        assertThat(new KernelCompare.Result(plan, rates).summary())
                .contains("tinyalloc / mimalloc: no round where both ran");
    }
}
