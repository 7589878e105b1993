package io.tinyalloc.bench.report;

import java.util.List;
import java.util.Map;

/**
 * One JMH run of the benchmark runner: its JMH command-line arguments (include regex, parameters,
 * timing, JSON result file) and the environment it needs. A job with an environment (jemalloc's
 * {@code LD_PRELOAD}) runs in a child JVM started with it, so that its JMH forks inherit it; the
 * others run in the runner's own JVM.
 */
record JmhJob(String name, List<String> jmhArgs, Map<String, String> environment) {

    JmhJob {
        jmhArgs = List.copyOf(jmhArgs);
        environment = Map.copyOf(environment);
    }

    boolean needsChildJvm() {
        return !environment.isEmpty();
    }
}
