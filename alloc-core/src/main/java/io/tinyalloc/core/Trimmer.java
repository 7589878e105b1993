package io.tinyalloc.core;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The background trim thread of one heap: a daemon named {@code tinyalloc-trim-<n>}, started on
 * the heap's first commit (a heap that never maps memory never gets a thread), that runs a
 * {@link Decay#pass()} every {@code intervalNanos} until {@link #stop()}.
 *
 * <p>Invariants: at most one thread per trimmer; once stopped it never starts again; stop()
 * returns only after the thread has finished its last pass, so the heap may unmap afterwards.
 * A pass that throws (the kernel refusing something unexpected) is counted and the next pass runs
 * as usual: trimming is best effort and must never take the program down.
 */
final class Trimmer implements Runnable {

    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();
    /** At most this long between passes, so memory comes back within delay + 100 ms. */
    static final long MAX_INTERVAL_NANOS = 100_000_000L;
    static final long MIN_INTERVAL_NANOS = 5_000_000L;

    private final Decay decay;
    private final long intervalNanos;
    private volatile boolean started;
    private volatile boolean stopped;
    /** Set by {@link #requestRelease()}: unmap evicted large blocks now, not at the next pass. */
    private volatile boolean releaseRequested;
    private volatile long failedPassCount;
    private Thread thread;

    Trimmer(Decay decay, long purgeDelayNanos) {
        this.decay = decay;
        this.intervalNanos = intervalFor(purgeDelayNanos);
    }

    /**
     * A quarter of the purge delay, within [5 ms, 100 ms]: an aged segment waits at most a quarter
     * delay more, so RSS is back within 1.25x the delay plus the purge itself (2x promised). An idle
     * pass costs a few lock acquisitions and one read of /proc/meminfo.
     */
    static long intervalFor(long purgeDelayNanos) {
        return Math.clamp(purgeDelayNanos / 4, MIN_INTERVAL_NANOS, MAX_INTERVAL_NANOS);
    }

    /** Called on every commit: one volatile read once the thread runs. */
    void ensureStarted() {
        if (!started) {
            startSlow();
        }
    }

    private synchronized void startSlow() {
        if (started || stopped) {
            return;
        }
        Thread candidate = Thread.ofPlatform().daemon().name("tinyalloc-trim-" + THREAD_NUMBER.incrementAndGet())
                .unstarted(this);
        try {
            candidate.start();
        } catch (OutOfMemoryError e) {
            // No native thread to be had ("unable to create native thread"). This runs inside a
            // commit, which must not fail for it: trim() still works and the next commit retries.
            return;
        }
        thread = candidate;
        started = true;
    }

    /**
     * Wakes the thread to unmap the large blocks evicted for it ({@link Decay#releaseEvicted}).
     *
     * @return false when there is no running thread to do it (the caller unmaps them itself)
     */
    boolean requestRelease() {
        if (!started || stopped || !thread.isAlive()) {
            return false;
        }
        // Already requested: the thread has not cleared the flag yet, so its drain, which starts
        // after the clear, sees the block the caller queued before asking.
        if (!releaseRequested) {
            releaseRequested = true;
            LockSupport.unpark(thread);
        }
        return true;
    }

    @Override
    public void run() {
        long nextPassNanos = System.nanoTime() + intervalNanos;
        while (!stopped) {
            long waitNanos = nextPassNanos - System.nanoTime();
            if (waitNanos > 0 && !releaseRequested) {
                LockSupport.parkNanos(this, waitNanos);
            }
            if (stopped) {
                return;
            }
            try {
                if (releaseRequested) {
                    releaseRequested = false;
                    decay.releaseEvicted();
                }
                if (System.nanoTime() - nextPassNanos >= 0) {
                    long start = System.nanoTime();
                    decay.pass();
                    decay.recordPass(start);
                    nextPassNanos = System.nanoTime() + intervalNanos;
                }
            } catch (RuntimeException e) {
                failedPassCount++;
                nextPassNanos = System.nanoTime() + intervalNanos;
            }
        }
    }

    /** Stops the thread and waits for its pass to end; idempotent. */
    void stop() {
        Thread running;
        synchronized (this) {
            stopped = true;
            running = thread;
        }
        if (running == null || running == Thread.currentThread()) {
            return;
        }
        LockSupport.unpark(running);
        // The heap unmaps everything once this returns, so the pass must be over: an interrupt is
        // kept for the caller, not obeyed, and there is no time limit.
        boolean interrupted = false;
        while (running.isAlive()) {
            try {
                running.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The thread, or null before the first commit. */
    synchronized Thread thread() {
        return thread;
    }

    long failedPassCount() {
        return failedPassCount;
    }

    long intervalNanos() {
        return intervalNanos;
    }
}
