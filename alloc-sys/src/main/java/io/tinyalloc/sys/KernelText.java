package io.tinyalloc.sys;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the small text files that the trim threads poll ({@code /proc/meminfo}, a control
 * group's {@code memory.current} and {@code memory.max}) without garbage: each file is opened
 * once and read again from offset 0 at every call, which makes procfs and cgroupfs generate the
 * text afresh, into one reused direct buffer, and the numbers are parsed from the bytes.
 *
 * <p>{@code Files.readAllLines} cost about 107 KB of garbage and 68 us per
 * {@link Platform#availableMemory()} on a machine with a three-level cgroup v1 hierarchy, and
 * every heap's trim thread reads it at each pass (40 times a second by default): 4 MB/s of
 * garbage per allocator, visible in every {@code -prof gc} of the allocator.
 *
 * <p>Files read once at startup ({@link #firstNumberOnce}) are closed again. Thread-safe: one
 * lock around each read and its parse. A file that cannot be opened or read
 * is reported as absent (the caller's fallback applies) and opened afresh on the next call.
 */
final class KernelText {

    /** Larger than /proc/meminfo (about 1.5 KiB) and than any cgroup file read here. */
    static final int CAPACITY = 16 * 1024;

    private static final long KIBI = 1024;

    static final Path MEMINFO = Path.of("/proc/meminfo");

    /** The process's reader: the files it polls stay open for the life of the process. */
    static final KernelText SHARED = new KernelText();

    private final ByteBuffer buffer = ByteBuffer.allocateDirect(CAPACITY);
    private final Map<Path, FileChannel> channels = new HashMap<>();
    /** Bytes of the last file read, at the start of {@link #buffer}. */
    private int length;

    /**
     * The decimal number that starts {@code file} (after blanks), or {@code absent} if the file is
     * missing, unreadable or does not start with a number (cgroup v2 writes {@code max} for no
     * limit).
     */
    synchronized long firstNumber(Path file, long absent) {
        if (!read(file)) {
            return absent;
        }
        return parseNumber(skipBlanks(0), absent);
    }

    /** {@link #firstNumber} of a file read once (at startup): the file is not kept open. */
    synchronized long firstNumberOnce(Path file, long absent) {
        long number = firstNumber(file, absent);
        FileChannel channel = channels.remove(file);
        if (channel != null) {
            closeQuietly(channel);
        }
        return number;
    }

    /**
     * A {@code /proc/meminfo}-style entry in bytes: the line {@code key: <number> kB}, or
     * {@code absent} if the file or the key is missing. Numbers without a unit are taken as bytes.
     */
    synchronized long meminfoBytes(Path file, String key, long absent) {
        if (!read(file)) {
            return absent;
        }
        for (int lineStart = 0; lineStart < length; lineStart = nextLine(lineStart)) {
            if (keyAt(lineStart, key)) {
                int cursor = skipBlanks(lineStart + key.length() + 1);
                int digitsEnd = digitsEnd(cursor);
                long number = parseNumber(cursor, -1);
                if (number < 0) {
                    return absent;
                }
                int unit = skipBlanks(digitsEnd);
                boolean kiloBytes = unit + 1 < length && (buffer.get(unit) | 0x20) == 'k'
                        && (buffer.get(unit + 1) | 0x20) == 'b';
                return kiloBytes ? number * KIBI : number;
            }
        }
        return absent;
    }

    /** Closes every file (for tests; the process-wide reader keeps its files open). */
    synchronized void close() {
        for (FileChannel channel : channels.values()) {
            closeQuietly(channel);
        }
        channels.clear();
    }

    /** Number of files held open (for tests). */
    synchronized int openFileCount() {
        return channels.size();
    }

    /** Reads {@code file} from offset 0 into the buffer; false if it cannot be. */
    private boolean read(Path file) {
        FileChannel channel = channels.get(file);
        try {
            if (channel == null) {
                channel = FileChannel.open(file, StandardOpenOption.READ);
                channels.put(file, channel);
            }
            buffer.clear();
            long position = 0;
            while (buffer.hasRemaining()) {
                int read = channel.read(buffer, position);
                if (read <= 0) {
                    break;
                }
                position += read;
            }
            length = buffer.position();
            return true;
        } catch (IOException | SecurityException | UnsupportedOperationException unreadable) {
            if (channel != null) {
                channels.remove(file);
                closeQuietly(channel);
            }
            length = 0;
            return false;
        }
    }

    private boolean keyAt(int lineStart, String key) {
        int colon = lineStart + key.length();
        if (colon >= length || buffer.get(colon) != ':') {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            if (buffer.get(lineStart + i) != key.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private int nextLine(int from) {
        int cursor = from;
        while (cursor < length && buffer.get(cursor) != '\n') {
            cursor++;
        }
        return cursor + 1;
    }

    private int skipBlanks(int from) {
        int cursor = from;
        while (cursor < length && (buffer.get(cursor) == ' ' || buffer.get(cursor) == '\t')) {
            cursor++;
        }
        return cursor;
    }

    private int digitsEnd(int from) {
        int cursor = from;
        while (cursor < length && isDigit(buffer.get(cursor))) {
            cursor++;
        }
        return cursor;
    }

    /** The decimal number at {@code from}, or {@code absent} if there is none or it overflows a long. */
    private long parseNumber(int from, long absent) {
        int end = digitsEnd(from);
        if (end == from) {
            return absent;
        }
        long number = 0;
        for (int cursor = from; cursor < end; cursor++) {
            int digit = buffer.get(cursor) - '0';
            if (number > (Long.MAX_VALUE - digit) / 10) {
                return absent;
            }
            number = number * 10 + digit;
        }
        return number;
    }

    private static boolean isDigit(byte value) {
        return value >= '0' && value <= '9';
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // a read-only file: nothing was buffered that a failed close could lose
        }
    }
}
