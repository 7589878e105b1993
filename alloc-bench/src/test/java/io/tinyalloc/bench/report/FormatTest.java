package io.tinyalloc.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FormatTest {

    @Test
    void shouldWriteSizesInBinaryUnits() {
        assertThat(Format.bytes(16)).isEqualTo("16 B");
        assertThat(Format.bytes(4096)).isEqualTo("4 KiB");
        assertThat(Format.bytes(16L << 20)).isEqualTo("16 MiB");
        assertThat(Format.bytes(1536)).isEqualTo("1.50 KiB");
    }

    @Test
    void shouldWriteThreeSignificantDigitsAndMetricSuffixes() {
        assertThat(Format.significant(1.23456)).isEqualTo("1.23");
        assertThat(Format.significant(12.3456)).isEqualTo("12.3");
        assertThat(Format.significant(1234.5)).isEqualTo("1235");
        assertThat(Format.count(12_345_678)).isEqualTo("12.3 M");
        assertThat(Format.ratio(1.0 / 3)).isEqualTo("0.33x");
        assertThat(Format.ratio(365.07)).isEqualTo("365x");
        assertThat(Format.ratio(0.00346)).isEqualTo("0.0035x");
        assertThat(Format.ratio(Double.NaN)).isEqualTo("n/a");
    }

    @Test
    void shouldTurnMethodNamesIntoPeerNames() {
        assertThat(Format.kebab("nettyAdaptive")).isEqualTo("netty-adaptive");
        assertThat(Format.kebab("floor")).isEqualTo("floor");
    }
}
