package io.tinyalloc.sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/** Reads the small text files of {@code /proc} and {@code /sys} that {@link Platform} needs. */
final class ProcFiles {

    private static final Path MEMINFO = Path.of("/proc/meminfo");

    private ProcFiles() {
    }

    /** A {@code /proc/meminfo} entry (given in kB there) in bytes. */
    static OptionalLong meminfoBytes(String key) {
        for (String line : lines(MEMINFO)) {
            if (line.startsWith(key) && line.length() > key.length() && line.charAt(key.length()) == ':') {
                return parseKiloBytes(line.substring(key.length() + 1));
            }
        }
        return OptionalLong.empty();
    }

    /** The first line of a file as a number; empty if the file is missing or holds no number. */
    static OptionalLong readLong(Path file) {
        List<String> lines = lines(file);
        if (lines.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(lines.getFirst().trim()));
        } catch (NumberFormatException notANumber) {
            return OptionalLong.empty();
        }
    }

    /** The file's first line, or null if it is missing or unreadable. */
    static String readFirstLine(Path file) {
        List<String> lines = lines(file);
        return lines.isEmpty() ? null : lines.getFirst().trim();
    }

    /** All lines; empty if the file is missing or unreadable (facts then fall back to defaults). */
    static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException | SecurityException unreadable) {
            return List.of();
        }
    }

    private static OptionalLong parseKiloBytes(String value) {
        String trimmed = value.trim();
        int space = trimmed.indexOf(' ');
        String digits = space < 0 ? trimmed : trimmed.substring(0, space);
        try {
            long kiloBytes = Long.parseLong(digits);
            boolean inKiloBytes = space >= 0 && trimmed.substring(space).trim().equalsIgnoreCase("kB");
            return OptionalLong.of(inKiloBytes ? kiloBytes * 1024 : kiloBytes);
        } catch (NumberFormatException notANumber) {
            return OptionalLong.empty();
        }
    }
}
