package io.tinyalloc.core;

import io.tinyalloc.sys.Platform;

/**
 * When the system is short of memory the trim thread stops waiting for free memory to age and
 * gives everything back at once. Short means: available memory (MemAvailable, or the room left
 * under the control group's limit) below 10% of the total, or below 256 MiB, whichever is larger.
 * Read at every trim pass (a few microseconds), never on an allocation path.
 */
final class MemoryPressure {

    static final long MIN_AVAILABLE_BYTES = 256L << 20;
    static final long AVAILABLE_FRACTION_DIVISOR = 10;

    private MemoryPressure() {
    }

    static boolean isHigh() {
        return isHigh(Platform.availableMemory(), Platform.totalMemory());
    }

    static boolean isHigh(long availableBytes, long totalBytes) {
        return availableBytes < Math.max(MIN_AVAILABLE_BYTES, totalBytes / AVAILABLE_FRACTION_DIVISOR);
    }
}
