package io.tinyalloc.bitmap;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.jetbrains.lincheck.datastructures.Operation;

/**
 * One {@link AtomicBitmap} in fresh native memory for Lincheck, with the operations every
 * configuration runs. A configuration extends it with its size, its pre-claimed bits and its
 * operations that take arguments: Lincheck collects operations from the whole class hierarchy but
 * resolves a named {@code @Param} only in the class that declares it, and the argument ranges
 * differ between configurations, so only operations without arguments can live here. Public,
 * because Lincheck calls the operations from outside the package.
 */
public abstract class AtomicBitmapOperations {

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

    @Operation
    public int claim() {
        return bitmap.claim();
    }
}
