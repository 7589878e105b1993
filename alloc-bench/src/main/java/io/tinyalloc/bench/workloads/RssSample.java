package io.tinyalloc.bench.workloads;

import java.util.HashMap;
import java.util.Map;

/**
 * What an RSS fork ({@link KernelMain}) measured, as one line of {@code key=value} fields that the
 * parent process reads back.
 *
 * @param baselineKiB VmHWM just before the kernel ran: the JVM with its pre-touched heap
 * @param peakKiB     VmHWM after the kernel ran: the peak of the whole process
 */
public record RssSample(String kernel, String allocator, int threads, int runs, long operations, long nanos,
                        long baselineKiB, long peakKiB) {

    static final String PREFIX = "rss-sample";

    public String toLine() {
        return PREFIX + " kernel=" + kernel + " allocator=" + allocator + " threads=" + threads + " runs=" + runs
                + " operations=" + operations + " nanos=" + nanos + " baselineKiB=" + baselineKiB
                + " peakKiB=" + peakKiB;
    }

    /** The sample in a line printed by {@link #toLine()}, or null if the line is not one. */
    public static RssSample parseLine(String line) {
        if (!line.startsWith(PREFIX + " ")) {
            return null;
        }
        Map<String, String> fields = new HashMap<>();
        for (String field : line.substring(PREFIX.length() + 1).trim().split(" +")) {
            int equals = field.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("malformed rss sample field: field=" + field + " line=" + line);
            }
            fields.put(field.substring(0, equals), field.substring(equals + 1));
        }
        return new RssSample(require(fields, "kernel", line), require(fields, "allocator", line),
                Integer.parseInt(require(fields, "threads", line)), Integer.parseInt(require(fields, "runs", line)),
                Long.parseLong(require(fields, "operations", line)), Long.parseLong(require(fields, "nanos", line)),
                Long.parseLong(require(fields, "baselineKiB", line)), Long.parseLong(require(fields, "peakKiB", line)));
    }

    private static String require(Map<String, String> fields, String key, String line) {
        String value = fields.get(key);
        if (value == null) {
            throw new IllegalArgumentException("rss sample lacks " + key + ": line=" + line);
        }
        return value;
    }
}
