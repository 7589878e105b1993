package io.tinyalloc.bench.workloads;

/** How much work one {@link Kernel#run} does. */
public enum Scale {
    /** A few milliseconds: unit tests of the harness. */
    TEST,
    /** Tens to hundreds of milliseconds: one JMH invocation, one step of an RSS fork. */
    BENCH;

    public static Scale parse(String text) {
        return switch (text) {
            case "test" -> TEST;
            case "bench" -> BENCH;
            default -> throw new IllegalArgumentException("scale must be test or bench: scale=" + text);
        };
    }
}
