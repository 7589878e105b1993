package io.tinyalloc.core;

import io.tinyalloc.sys.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The resident set size of this process from {@code /proc/self/statm} (second field, in pages). */
final class RssReader {

    private static final Path STATM = Path.of("/proc/self/statm");

    private RssReader() {
    }

    static long residentBytes() {
        try {
            String[] fields = Files.readString(STATM).trim().split("\\s+");
            return Long.parseLong(fields[1]) * Platform.pageSize();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + STATM, e);
        }
    }
}
