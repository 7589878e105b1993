package io.tinyalloc.bench.report;

import java.util.Map;

/**
 * One score of one peer in one row of one suite, e.g. suite {@code pairs}, row
 * {@code {byteSize=16}}, peer {@code glibc}, 21.3 ns/op.
 *
 * @param rowParams the benchmark parameters other than the peer, in the order JMH gave them
 * @param error     the half-width of JMH's 99.9% confidence interval (NaN when unknown)
 */
record Measurement(String suite, Map<String, String> rowParams, String peer, double score, double error,
                   String unit) {

    /** Throughputs ({@code ops/s}) are better higher; times ({@code ns/op}) lower. */
    boolean higherIsBetter() {
        return unit.startsWith("ops/");
    }
}
