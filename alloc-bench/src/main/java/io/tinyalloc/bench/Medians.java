package io.tinyalloc.bench;

import java.util.Arrays;

/** The median that the out-of-JMH reports take over their rounds. */
public final class Medians {

    private Medians() {
    }

    /** The median of {@code values} (the mean of the middle two for an even count); NaN if there are none. */
    public static double of(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
