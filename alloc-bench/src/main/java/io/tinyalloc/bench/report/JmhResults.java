package io.tinyalloc.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns JMH's JSON results into {@link Measurement}s.
 *
 * <p>Naming convention of the comparison benchmarks: the peer is the {@code allocator} parameter
 * when there is one (method {@code nativeAllocator}), else the method's name in kebab case
 * ({@code nettyAdaptive} -> {@code netty-adaptive}); the other parameters make the row. The kernels'
 * score is their {@code operations} secondary metric (the kernel's own operations per second).
 */
final class JmhResults {

    static final String PEER_PARAM = "allocator";
    static final String KERNEL_METRIC = "operations";

    private JmhResults() {
    }

    @SuppressWarnings("unchecked")
    static List<Measurement> parse(String json) {
        List<Measurement> measurements = new ArrayList<>();
        for (Object entry : (List<Object>) Json.parse(json)) {
            Map<String, Object> result = (Map<String, Object>) entry;
            measurements.add(measurement(result));
        }
        return measurements;
    }

    @SuppressWarnings("unchecked")
    private static Measurement measurement(Map<String, Object> result) {
        String benchmark = (String) result.get("benchmark");
        int methodDot = benchmark.lastIndexOf('.');
        String method = benchmark.substring(methodDot + 1);
        String className = benchmark.substring(0, methodDot);
        Suite suite = Suite.ofBenchmarkClass(className.substring(className.lastIndexOf('.') + 1));

        Map<String, String> rowParams = new LinkedHashMap<>();
        Object params = result.get("params");
        if (params instanceof Map<?, ?> map) {
            map.forEach((key, value) -> rowParams.put((String) key, (String) value));
        }
        String peer = rowParams.containsKey(PEER_PARAM) ? rowParams.remove(PEER_PARAM) : Format.kebab(method);

        Map<String, Object> metric = (Map<String, Object>) result.get("primaryMetric");
        if (suite.key().equals(Suite.KERNELS)) {
            Map<String, Object> secondary = (Map<String, Object>) result.get("secondaryMetrics");
            if (secondary != null && secondary.get(KERNEL_METRIC) != null) {
                metric = (Map<String, Object>) secondary.get(KERNEL_METRIC);
            }
        }
        return new Measurement(suite.key(), rowParams, peer, Json.number(metric.get("score")),
                Json.number(metric.get("scoreError")), (String) metric.get("scoreUnit"));
    }
}
