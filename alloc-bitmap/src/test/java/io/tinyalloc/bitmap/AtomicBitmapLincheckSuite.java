package io.tinyalloc.bitmap;

import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.Test;

/**
 * Linearizability of every operation in a configuration where {@link AtomicBitmap} promises it
 * for all of them, against {@link BitSetClaimModel}: model checking explores interleavings at
 * every {@code Memory} call; stress runs the real thing on real threads. A configuration adds its
 * operations with arguments (claimRun, tryClaim, get, release) next to the {@code @Param} ranges
 * they use (see {@link AtomicBitmapOperations} for why they cannot live here).
 */
public abstract class AtomicBitmapLincheckSuite extends AtomicBitmapOperations {

    private final Class<? extends BitSetClaimModel> model;

    /** {@code model}: the configuration's sequential specification, with the same bits pre-claimed. */
    AtomicBitmapLincheckSuite(int bitCount, int claimedFromIndex, int claimedCount,
                              Class<? extends BitSetClaimModel> model) {
        super(bitCount, claimedFromIndex, claimedCount);
        this.model = model;
    }

    @Operation
    public int cardinality() {
        return bitmap.cardinality();
    }

    @Test
    void shouldBeLinearizableUnderModelChecking() {
        OffHeapLincheck.modelChecking().sequentialSpecification(model).check(getClass());
    }

    @Test
    void shouldBeLinearizableUnderStress() {
        OffHeapLincheck.stress().sequentialSpecification(model).check(getClass());
    }
}
