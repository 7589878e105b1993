package io.tinyalloc.bench.workloads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void shouldTimeOnlyTheRunsAfterTheWarmUp() {
        RssSample sample = KernelMain.measure("cache-scratch", "glibc", 1, 2, 3);

        assertThat(sample.runs()).isEqualTo(2);
        assertThat(sample.operations()).isEqualTo(2L * 1000 * 1000);
    }

    @Test
    void shouldNameABadArgument() {
        assertThat(KernelMain.intArgument("runs", "7", 1)).isEqualTo(7);
        assertThatThrownBy(() -> KernelMain.intArgument("runs", "0", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("runs must be at least 1: runs=0");
        assertThatThrownBy(() -> KernelMain.intArgument("warmupRuns", "many", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("warmupRuns must be an integer: warmupRuns=\"many\"");
    }
}
