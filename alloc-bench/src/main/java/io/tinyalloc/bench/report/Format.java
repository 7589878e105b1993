package io.tinyalloc.bench.report;

import java.util.Locale;

/** Number formatting for tables and charts. */
final class Format {

    private static final String[] BYTE_UNITS = {"B", "KiB", "MiB", "GiB"};

    private Format() {
    }

    /** 16 -> "16 B", 4096 -> "4 KiB", 1572864 -> "1.5 MiB". */
    static String bytes(long byteSize) {
        double value = byteSize;
        int unit = 0;
        while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return (value == Math.rint(value) ? Long.toString((long) value) : significant(value)) + " " + BYTE_UNITS[unit];
    }

    /** Three significant digits, without exponent for the magnitudes benchmarks produce. */
    static String significant(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        double magnitude = Math.abs(value);
        if (magnitude >= 100 || magnitude == 0) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        if (magnitude >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        if (magnitude >= 1) {
            return String.format(Locale.ROOT, "%.2f", value);
        }
        return String.format(Locale.ROOT, "%.3g", value);
    }

    /** Large counts with a metric suffix: 12345678 -> "12.3 M". */
    static String count(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        String[] suffixes = {"", " k", " M", " G"};
        int index = 0;
        while (Math.abs(value) >= 1000 && index < suffixes.length - 1) {
            value /= 1000;
            index++;
        }
        return significant(value) + suffixes[index];
    }

    /** A ratio as "1.35x"; large ones without decimals ("365x"), small ones with two significant digits. */
    static String ratio(double ratio) {
        if (Double.isNaN(ratio) || Double.isInfinite(ratio)) {
            return "n/a";
        }
        if (ratio >= 100) {
            return String.format(Locale.ROOT, "%.0fx", ratio);
        }
        if (ratio >= 0.1) {
            return String.format(Locale.ROOT, "%.2fx", ratio);
        }
        return String.format(Locale.ROOT, "%.2gx", ratio);
    }

    /** A score for a table cell: counts per second get a suffix, times three significant digits. */
    static String score(double value, String unit) {
        return unit.startsWith("ops/") ? count(value) : significant(value);
    }

    static String mebibytes(long kibibytes) {
        return String.format(Locale.ROOT, "%.1f", kibibytes / 1024.0);
    }

    /** camelCase method name -> kebab-case peer name: nettyAdaptive -> netty-adaptive. */
    static String kebab(String camel) {
        StringBuilder kebab = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                kebab.append('-').append(Character.toLowerCase(c));
            } else {
                kebab.append(c);
            }
        }
        return kebab.toString();
    }
}
