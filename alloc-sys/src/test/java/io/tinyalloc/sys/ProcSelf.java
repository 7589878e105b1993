package io.tinyalloc.sys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What the kernel says about this process's memory, for tests that check a mapping really changed. */
final class ProcSelf {

    private ProcSelf() {
    }

    /** Resident set size in bytes ({@code /proc/self/statm}, second field, in pages). */
    static long residentBytes() {
        String[] fields = read("/proc/self/statm").getFirst().trim().split("\\s+");
        return Long.parseLong(fields[1]) * Platform.pageSize();
    }

    /** A field of {@code /proc/self/smaps_rollup} in bytes, for example {@code LazyFree}. */
    static long rollupBytes(String field) {
        return kiloBytesField(read("/proc/self/smaps_rollup"), field) * 1024;
    }

    /** The permissions ({@code rw-p}) of the mapping holding {@code address}, or null if unmapped. */
    static String permissions(long address) {
        for (String line : read("/proc/self/maps")) {
            String[] fields = line.split("\\s+");
            if (contains(fields[0], address)) {
                return fields[1];
            }
        }
        return null;
    }

    /** The sum of the sizes of all mappings of the process (its virtual size as maps shows it). */
    static long mappedBytes() {
        long total = 0;
        for (String line : read("/proc/self/maps")) {
            String range = line.substring(0, line.indexOf(' '));
            int dash = range.indexOf('-');
            long start = Long.parseUnsignedLong(range.substring(0, dash), 16);
            long end = Long.parseUnsignedLong(range.substring(dash + 1), 16);
            if (start >= 0 && end > 0) {
                total += end - start;
            }
        }
        return total;
    }

    /** The {@code /proc/self/smaps} lines of the mapping holding {@code address}; empty if unmapped. */
    static List<String> smaps(long address) {
        List<String> block = new ArrayList<>();
        boolean inside = false;
        for (String line : read("/proc/self/smaps")) {
            if (isRangeHeader(line)) {
                if (inside) {
                    break;
                }
                inside = contains(line.split("\\s+")[0], address);
            }
            if (inside) {
                block.add(line);
            }
        }
        return block;
    }

    /** A {@code kB} field of an smaps block in bytes. */
    static long smapsBytes(List<String> block, String field) {
        return kiloBytesField(block, field) * 1024;
    }

    /** The VmFlags of an smaps block (e.g. {@code hg} after MADV_HUGEPAGE), or "" if none. */
    static String vmFlags(List<String> block) {
        for (String line : block) {
            if (line.startsWith("VmFlags:")) {
                return line.substring("VmFlags:".length()).trim();
            }
        }
        return "";
    }

    /** {@code 7f00...-7f00... rw-p ...}: the first line of a mapping's block. */
    private static boolean isRangeHeader(String line) {
        int space = line.indexOf(' ');
        String first = space < 0 ? line : line.substring(0, space);
        int dash = first.indexOf('-');
        return dash > 0 && first.chars().allMatch(c -> c == '-' || Character.digit(c, 16) >= 0);
    }

    private static boolean contains(String range, long address) {
        int dash = range.indexOf('-');
        long start = Long.parseUnsignedLong(range.substring(0, dash), 16);
        long end = Long.parseUnsignedLong(range.substring(dash + 1), 16);
        return Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0;
    }

    private static long kiloBytesField(List<String> lines, String field) {
        for (String line : lines) {
            if (line.startsWith(field + ":")) {
                String value = line.substring(field.length() + 1).trim();
                return Long.parseLong(value.substring(0, value.indexOf(' ')));
            }
        }
        throw new IllegalStateException("no field " + field + " in " + lines);
    }

    private static List<String> read(String file) {
        try {
            return Files.readAllLines(Path.of(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
