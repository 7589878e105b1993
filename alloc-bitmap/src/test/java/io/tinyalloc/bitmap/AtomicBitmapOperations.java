package io.tinyalloc.bitmap;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The operations Lincheck runs on one {@link AtomicBitmap} in fresh native memory; each
 * configuration extends it with its size, its pre-claimed bits and its argument ranges.
 */
abstract class AtomicBitmapOperations {

    /** Held so the automatic arena cannot free the words while the bitmap is in use. */
    private final MemorySegment words;
    final AtomicBitmap bitmap;

    AtomicBitmapOperations(int bitCount, int claimedFromIndex, int claimedCount) {
        words = Arena.ofAuto().allocate(AtomicBitmap.byteSizeFor(bitCount), Long.BYTES);
        bitmap = new AtomicBitmap(words.address(), bitCount);
        for (int index = claimedFromIndex; index < claimedFromIndex + claimedCount; index++) {
            bitmap.tryClaim(index);
        }
    }
}
