package io.tinyalloc.bench.workloads;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KernelMainTest {

    @Test
    void shouldMeasureOneKernelRunAndItsPeakResidentSet() {
        RssSample sample = KernelMain.measure("cache-scratch", "glibc", 1, 1);

        assertThat(sample.kernel()).isEqualTo("cache-scratch");
        assertThat(sample.operations()).isEqualTo(1000L * 1000);
        assertThat(sample.nanos()).isPositive();
        assertThat(sample.baselineKiB()).isPositive();
        // VmHWM comes from the kernel's RSS counters, which are kept per thread and folded into the
        // process total lazily: two reads can differ by a few hundred KiB either way. A kernel this
        // small may not raise the peak at all, so allow that slack below the baseline.
        assertThat(sample.peakKiB()).isGreaterThanOrEqualTo(sample.baselineKiB() - 1024);
    }
}
