package io.tinyalloc.bitmap;

import static org.assertj.core.api.Assertions.assertThat;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;

/**
 * Linearizability of every operation of a one-word {@link AtomicBitmap}: 8 bits, bits 0-3
 * claimed at the start so that full and not-full states are both reached within a few
 * operations; claim, claimRun, tryClaim, release (a clear bit throws), get and cardinality,
 * against {@link BitSetClaimModel} ({@link AtomicBitmapLincheckSuite}).
 */
@Param(name = "index", gen = IntGen.class, conf = "0:7")
@Param(name = "count", gen = IntGen.class, conf = "1:3")
public class AtomicBitmapOneWordLincheckTest extends AtomicBitmapLincheckSuite {

    public AtomicBitmapOneWordLincheckTest() {
        super(8, 0, 4, Model.class);
    }

    public static class Model extends BitSetClaimModel {
        public Model() {
            super(8, 0, 4);
        }
    }

    @Operation
    public int claimRun(@Param(name = "count") int count) {
        return bitmap.claimRun(count);
    }

    @Operation
    public boolean tryClaim(@Param(name = "index") int index) {
        return bitmap.tryClaim(index);
    }

    @Operation
    public boolean get(@Param(name = "index") int index) {
        return bitmap.get(index);
    }

    @Operation
    public void release(@Param(name = "index") int index) {
        bitmap.release(index);
    }

    /** The scenarios start half full: both the bitmap and its model must, or the check compares nothing useful. */
    @org.junit.jupiter.api.Test
    void shouldStartWithTheSameBitsClaimedAsItsModel() {
        assertThat(new AtomicBitmapOneWordLincheckTest().cardinality()).isEqualTo(4);
        assertThat(new Model().cardinality()).isEqualTo(4);
        assertThat(new Model().get(3)).isTrue();
        assertThat(new Model().get(4)).isFalse();
    }
}
