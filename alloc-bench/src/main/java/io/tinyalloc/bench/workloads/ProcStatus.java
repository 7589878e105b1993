package io.tinyalloc.bench.workloads;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Memory figures of this process from {@code /proc/self/status}, in KiB: {@code VmHWM} (peak
 * resident set, never decreasing) and {@code VmRSS} (resident set now).
 */
public record ProcStatus(long peakResidentKiB, long residentKiB) {

    private static final Path STATUS = Path.of("/proc/self/status");

    public static ProcStatus read() {
        try {
            return parse(Files.readString(STATUS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ProcStatus parse(String status) {
        return new ProcStatus(field(status, "VmHWM"), field(status, "VmRSS"));
    }

    private static long field(String status, String name) {
        for (String line : status.split("\n")) {
            if (line.startsWith(name + ":")) {
                String value = line.substring(name.length() + 1).trim();
                return Long.parseLong(value.substring(0, value.indexOf(' ')));
            }
        }
        throw new IllegalStateException("no " + name + " in /proc/self/status");
    }
}
