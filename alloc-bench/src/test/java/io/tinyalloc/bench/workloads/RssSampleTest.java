package io.tinyalloc.bench.workloads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RssSampleTest {

    @Test
    void shouldReadBackTheLineItPrints() {
        RssSample sample = new RssSample("larson", "glibc", 2, 3, 123_456, 7_890_000, 100_000, 150_000);

        assertThat(RssSample.parseLine(sample.toLine())).isEqualTo(sample);
    }

    @Test
    void shouldIgnoreOtherLines() {
        assertThat(RssSample.parseLine("WARNING: something")).isNull();
    }

    @Test
    void shouldRejectASampleLineWithoutAField() {
        assertThatThrownBy(() -> RssSample.parseLine("rss-sample kernel=larson allocator=glibc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threads");
    }

    @Test
    void shouldReadPeakAndCurrentResidentSetFromProcStatus() {
        ProcStatus status = ProcStatus.parse("Name:\tjava\nVmHWM:\t  123456 kB\nVmRSS:\t  100000 kB\n");

        assertThat(status).isEqualTo(new ProcStatus(123_456, 100_000));
        assertThat(ProcStatus.read().peakResidentKiB()).isGreaterThanOrEqualTo(ProcStatus.read().residentKiB() / 2)
                .isPositive();
    }
}
