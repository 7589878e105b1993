package io.tinyalloc.bench.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A value axis, linear or logarithmic, mapping values in [min, max] to pixels in [bottom, top]
 * (bottom > top: SVG's y grows downwards).
 */
final class Axis {

    private final boolean logarithmic;
    private final double min;
    private final double max;
    private final double bottom;
    private final double top;

    private Axis(boolean logarithmic, double min, double max, double bottom, double top) {
        this.logarithmic = logarithmic;
        this.min = min;
        this.max = max;
        this.bottom = bottom;
        this.top = top;
    }

    /** A log axis covering the positive values, widened to the 1-2-5 steps around them. */
    static Axis logarithmic(List<Double> values, double bottom, double top) {
        double low = values.stream().filter(v -> v > 0 && Double.isFinite(v)).mapToDouble(v -> v).min().orElse(1);
        double high = values.stream().filter(v -> v > 0 && Double.isFinite(v)).mapToDouble(v -> v).max().orElse(10);
        double min = stepAtOrBelow(low);
        double max = stepAtOrAbove(high);
        if (max <= min) {
            max = stepAtOrAbove(min * 1.01);
        }
        return new Axis(true, min, max, bottom, top);
    }

    /** A linear axis from 0 to a round number above the largest value. */
    static Axis linear(List<Double> values, double bottom, double top) {
        double high = values.stream().filter(Double::isFinite).mapToDouble(v -> v).max().orElse(1);
        double step = niceStep(Math.max(high, 1e-9) / 5);
        return new Axis(false, 0, Math.ceil(high / step) * step, bottom, top);
    }

    double pixel(double value) {
        double clamped = Math.max(min, Math.min(max, value));
        double fraction = logarithmic
                ? (Math.log10(clamped) - Math.log10(min)) / (Math.log10(max) - Math.log10(min))
                : (clamped - min) / (max - min);
        return bottom + fraction * (top - bottom);
    }

    boolean isLogarithmic() {
        return logarithmic;
    }

    double min() {
        return min;
    }

    List<Double> ticks() {
        List<Double> ticks = new ArrayList<>();
        if (logarithmic) {
            boolean fewDecades = Math.log10(max / min) <= 2;
            for (double decade = Math.pow(10, Math.floor(Math.log10(min))); decade <= max * 1.0001; decade *= 10) {
                for (double multiple : fewDecades ? new double[] {1, 2, 5} : new double[] {1}) {
                    double tick = decade * multiple;
                    if (tick >= min * 0.9999 && tick <= max * 1.0001) {
                        ticks.add(tick);
                    }
                }
            }
        } else {
            double step = niceStep(max / 5);
            for (double tick = 0; tick <= max * 1.0001; tick += step) {
                ticks.add(tick);
            }
        }
        return ticks;
    }

    /** The largest of 1, 2, 5 times a power of ten that is at most {@code value}. */
    private static double stepAtOrBelow(double value) {
        double decade = Math.pow(10, Math.floor(Math.log10(value)));
        double fraction = value / decade;
        return decade * (fraction >= 5 ? 5 : fraction >= 2 ? 2 : 1);
    }

    /** The smallest of 1, 2, 5 times a power of ten that is at least {@code value}. */
    private static double stepAtOrAbove(double value) {
        double decade = Math.pow(10, Math.floor(Math.log10(value)));
        double fraction = value / decade;
        return decade * (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10);
    }

    private static double niceStep(double rough) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
        double fraction = rough / magnitude;
        double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return nice * magnitude;
    }
}
