package io.tinyalloc.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunPlanTest {

    private static final PeerAvailability PEERS = new PeerAvailability(List.of("tinyalloc", "glibc"),
            Map.of("jemalloc", Map.of("LD_PRELOAD", "/lib/libjemalloc.so.2")), List.of());

    @Test
    void shouldRunEverySuiteHereAndItsNativeMethodAgainInAPreloadedChild() {
        List<JmhJob> jobs = RunPlan.quick().jobs(PEERS, Path.of("out"));

        assertThat(jobs).extracting(JmhJob::name).containsExactly("pairs", "pairs-jemalloc", "batch", "batch-jemalloc",
                "realloc", "realloc-jemalloc", "calloc", "calloc-jemalloc", "kernels", "kernels-jemalloc");
        JmhJob pairs = jobs.getFirst();
        assertThat(pairs.needsChildJvm()).isFalse();
        assertThat(pairs.jmhArgs()).containsSubsequence("-p", "byteSize=16,256,4096,1048576")
                .containsSubsequence("-p", "allocator=tinyalloc,glibc")
                .containsSubsequence("-rf", "json", "-rff", Path.of("out", "jmh-pairs.json").toAbsolutePath().toString());
        JmhJob jemalloc = jobs.get(1);
        assertThat(jemalloc.environment()).containsEntry("LD_PRELOAD", "/lib/libjemalloc.so.2");
        assertThat(jemalloc.jmhArgs().getFirst()).endsWith("PairBenchmark\\.nativeAllocator$");
        assertThat(jemalloc.jmhArgs()).containsSubsequence("-p", "allocator=jemalloc");
    }

    @Test
    void shouldLeaveOutTinyAllocsSegmentMethodWhenTinyAllocIsUnavailable() {
        PeerAvailability withoutTinyAlloc = new PeerAvailability(List.of("glibc"), Map.of(), List.of());

        assertThat(RunPlan.quick().jobs(withoutTinyAlloc, Path.of("out")).getFirst().jmhArgs())
                .containsSubsequence("-e", "\\.tinyallocSegment$");
        assertThat(RunPlan.quick().jobs(PEERS, Path.of("out")).getFirst().jmhArgs()).doesNotContain("-e");
    }

    @Test
    void shouldRunKernelsAtTwoThreadsWhenQuickAndAtOneTwoAndFourWhenFull() {
        assertThat(kernelJob(RunPlan.quick()).jmhArgs()).containsSubsequence("-p", "threads=2");
        assertThat(kernelJob(RunPlan.full()).jmhArgs()).containsSubsequence("-p", "threads=1,2,4");
        assertThat(RunPlan.full().jobs(PEERS, Path.of("out")).getFirst().jmhArgs()).doesNotContain("-wi");
    }

    @Test
    void shouldMeasureRssForEveryKernelAllocatorAndThreadCount() {
        List<RssProbe.Case> cases = RunPlan.quick().rssCases(PEERS);

        assertThat(cases).hasSize(7 * 3);
        assertThat(cases).filteredOn(c -> c.allocator().equals("jemalloc"))
                .allSatisfy(c -> assertThat(c.environment()).containsKey("LD_PRELOAD"));
        assertThat(RunPlan.full().rssCases(PEERS)).hasSize(7 * 3 * 3);
    }

    private static JmhJob kernelJob(RunPlan plan) {
        return plan.jobs(PEERS, Path.of("out")).stream().filter(job -> job.name().equals("kernels")).findFirst()
                .orElseThrow();
    }
}
