package io.tinyalloc.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JmhResultsTest {

    private final List<Measurement> measurements = Samples.measurements();

    @Test
    void shouldTakeThePeerFromTheAllocatorParameterAndLeaveTheRestAsTheRow() {
        assertThat(measurements).contains(new Measurement("pairs", Map.of("byteSize", "16"), "glibc", 20.0,
                Double.NaN, "ns/op"));
    }

    @Test
    void shouldNameMethodPeersInKebabCase() {
        assertThat(measurements).filteredOn(m -> m.peer().equals("netty-pooled")).hasSize(2)
                .allSatisfy(m -> assertThat(m.suite()).isEqualTo("pairs"));
    }

    @Test
    void shouldScoreKernelsByTheirOperationsPerSecond() {
        Measurement larson = measurements.stream()
                .filter(m -> m.suite().equals("kernels") && m.peer().equals("tinyalloc")).findFirst().orElseThrow();

        assertThat(larson.score()).isEqualTo(2.0e7);
        assertThat(larson.unit()).isEqualTo("ops/s");
        assertThat(larson.higherIsBetter()).isTrue();
        assertThat(larson.rowParams()).isEqualTo(Map.of("kernel", "larson", "threads", "2"));
    }

    @Test
    void shouldReadEveryResult() {
        assertThat(measurements).hasSize(10);
    }
}
