package io.tinyalloc.bench.trim;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.util.Arrays;

/**
 * Samples this process's RSS ({@code /proc/self/statm}, resident pages) every
 * {@code intervalMillis} on a daemon thread into preallocated arrays, so sampling itself adds no
 * garbage and no RSS while it runs.
 */
final class RssSampler implements Runnable {

    private static final long PAGE_SIZE = io.tinyalloc.sys.Platform.pageSize();

    private final long intervalMillis;
    private final long[] atNanos;
    private final long[] rssBytes;
    private final long startNanos = System.nanoTime();
    private final byte[] buffer = new byte[128];
    private volatile boolean stopped;
    private int count;
    private Thread thread;

    RssSampler(long intervalMillis, int capacity) {
        this.intervalMillis = intervalMillis;
        this.atNanos = new long[capacity];
        this.rssBytes = new long[capacity];
    }

    void start() {
        thread = Thread.ofPlatform().daemon().name("rss-sampler").start(this);
    }

    @Override
    public void run() {
        try (RandomAccessFile statm = new RandomAccessFile("/proc/self/statm", "r")) {
            while (!stopped && count < atNanos.length) {
                statm.seek(0);
                int length = statm.read(buffer);
                atNanos[count] = System.nanoTime() - startNanos;
                rssBytes[count] = residentPages(buffer, length) * PAGE_SIZE;
                count++;
                Thread.sleep(intervalMillis);
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("RSS sampling failed", e);
        }
    }

    /** Stops sampling; returns {time ns, rss bytes} pairs. */
    long[][] stop() throws InterruptedException {
        stopped = true;
        thread.join();
        return new long[][] {Arrays.copyOf(atNanos, count), Arrays.copyOf(rssBytes, count)};
    }

    /** The second number of "size resident shared ...". */
    private static long residentPages(byte[] text, int length) {
        int i = 0;
        while (i < length && text[i] != ' ') {
            i++;
        }
        long pages = 0;
        for (i++; i < length && text[i] >= '0' && text[i] <= '9'; i++) {
            pages = pages * 10 + (text[i] - '0');
        }
        return pages;
    }
}
