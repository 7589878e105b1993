package io.tinyalloc.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the trim policy of one {@link Heap}: when free memory goes back to the kernel.
 *
 * @param trimThread         run a background daemon thread ({@link Trimmer}) that purges free
 *                           memory once it has been free for {@code purgeDelayNanos}, drains idle
 *                           caches and reacts to memory pressure; false: only {@link Heap#trim()}
 *                           returns memory (and the small fixed quotas of spare segments)
 * @param purgeDelayNanos    how long free memory is kept for reuse before it is purged (decay);
 *                           0 purges on the trimmer's next pass
 * @param purgeMode          MADV_DONTNEED or MADV_FREE
 * @param trimThresholdBytes free committed memory up to this many bytes is kept regardless of its
 *                           age (glibc's M_TRIM_THRESHOLD), at least {@link #MIN_TRIM_THRESHOLD_BYTES}
 * @param thpMode            transparent huge page advice for arenas and large blocks
 */
public record TrimConfig(boolean trimThread, long purgeDelayNanos, PurgeMode purgeMode, long trimThresholdBytes,
                         ThpMode thpMode) {

    /**
     * 100 ms: 10x mimalloc's 10 ms purge delay, 100x shorter than jemalloc's 10 s decay. Re-faulting
     * a purged 1 MiB segment costs roughly 50-100 us, so purging at most once per 100 ms per
     * segment costs about 0.1% of a busy thread. Measured on the phase benchmark
     * (io.tinyalloc.bench.trim): 250 ms gave 1.6x mimalloc's area under the RSS curve, 100 ms,
     * 50 ms and 10 ms about 1.3x alike (what remains is segments kept by a few live blocks), so a
     * shorter delay buys nothing and 100 ms keeps memory for bursts that come back within it.
     */
    public static final long DEFAULT_PURGE_DELAY_NANOS = 100_000_000L;
    /** Up to an hour: longer would mean "never", which is what {@code trimThread=false} says. */
    public static final long MAX_PURGE_DELAY_NANOS = 3_600_000_000_000L;
    /** 4 MiB: a few segments kept warm, well inside the 32 MiB RSS promise. */
    public static final long DEFAULT_TRIM_THRESHOLD_BYTES = 4L << 20;
    /** One segment: memory is purged in segments, a smaller threshold could not be honored. */
    public static final long MIN_TRIM_THRESHOLD_BYTES = SegmentLayout.SEGMENT_SIZE;

    public TrimConfig {
        Objects.requireNonNull(purgeMode, "purgeMode");
        Objects.requireNonNull(thpMode, "thpMode");
        if (purgeDelayNanos < 0 || purgeDelayNanos > MAX_PURGE_DELAY_NANOS) {
            throw new IllegalArgumentException("purgeDelay must be in [0, " + MAX_PURGE_DELAY_NANOS
                    + "] ns: purgeDelayNanos=" + purgeDelayNanos);
        }
        if (trimThresholdBytes < MIN_TRIM_THRESHOLD_BYTES) {
            throw new IllegalArgumentException("trimThreshold must be at least " + MIN_TRIM_THRESHOLD_BYTES
                    + " bytes: trimThresholdBytes=" + trimThresholdBytes);
        }
    }

    /** The trim thread on, 100 ms purge delay, MADV_DONTNEED, 4 MiB threshold, no THP advice. */
    public static TrimConfig defaults() {
        return new TrimConfig(true, DEFAULT_PURGE_DELAY_NANOS, PurgeMode.DONTNEED, DEFAULT_TRIM_THRESHOLD_BYTES,
                ThpMode.DEFAULT);
    }

    /** As {@link #defaults()} but without the trim thread: memory goes back only on {@link Heap#trim()}. */
    public static TrimConfig manual() {
        return defaults().withTrimThread(false);
    }

    public Duration purgeDelay() {
        return Duration.ofNanos(purgeDelayNanos);
    }

    public TrimConfig withTrimThread(boolean enabled) {
        return new TrimConfig(enabled, purgeDelayNanos, purgeMode, trimThresholdBytes, thpMode);
    }

    public TrimConfig withPurgeDelay(Duration delay) {
        Objects.requireNonNull(delay, "purgeDelay");
        if (delay.isNegative() || delay.compareTo(Duration.ofNanos(MAX_PURGE_DELAY_NANOS)) > 0) {
            throw new IllegalArgumentException("purgeDelay must be in [0, " + Duration.ofNanos(MAX_PURGE_DELAY_NANOS)
                    + "]: purgeDelay=" + delay);
        }
        return new TrimConfig(trimThread, delay.toNanos(), purgeMode, trimThresholdBytes, thpMode);
    }

    public TrimConfig withPurgeMode(PurgeMode mode) {
        return new TrimConfig(trimThread, purgeDelayNanos, mode, trimThresholdBytes, thpMode);
    }

    public TrimConfig withTrimThreshold(long bytes) {
        return new TrimConfig(trimThread, purgeDelayNanos, purgeMode, bytes, thpMode);
    }

    public TrimConfig withThpMode(ThpMode mode) {
        return new TrimConfig(trimThread, purgeDelayNanos, purgeMode, trimThresholdBytes, mode);
    }
}
