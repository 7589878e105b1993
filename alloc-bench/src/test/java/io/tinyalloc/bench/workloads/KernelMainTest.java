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
        assertThat(sample.peakKiB()).isGreaterThanOrEqualTo(sample.baselineKiB());
    }
}
