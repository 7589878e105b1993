package io.tinyalloc.bitmap;

import static org.assertj.core.api.Assertions.assertThat;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;

/**
 * Linearizability across a word boundary: 70 bits, word 0 (bits 0-63) claimed and never
 * released, bits 64-69 in the partial last word with its 58 tail bits. Claims must scan past the
 * full word, never hand out a tail bit, and report -1 when the six real bits are taken; tryClaim
 * and get also probe the top of word 0. Releases stay in word 1: a release behind a claim's scan
 * is the documented relaxation ({@link AtomicBitmapAcrossWordsLincheckTest}).
 */
@Param(name = "index", gen = IntGen.class, conf = "60:69")
@Param(name = "lastWordIndex", gen = IntGen.class, conf = "64:69")
@Param(name = "count", gen = IntGen.class, conf = "1:3")
public class AtomicBitmapTwoWordLincheckTest extends AtomicBitmapLincheckSuite {

    public AtomicBitmapTwoWordLincheckTest() {
        super(70, 0, 65, Model.class);
    }

    public static class Model extends BitSetClaimModel {
        public Model() {
            super(70, 0, 65);
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
    public void release(@Param(name = "lastWordIndex") int index) {
        bitmap.release(index);
    }

    /** The scenarios start with the first word full and one bit of the second: bitmap and model agree. */
    @org.junit.jupiter.api.Test
    void shouldStartWithTheSameBitsClaimedAsItsModel() {
        assertThat(new AtomicBitmapTwoWordLincheckTest().cardinality()).isEqualTo(65);
        assertThat(new Model().cardinality()).isEqualTo(65);
        assertThat(new Model().get(64)).isTrue();
        assertThat(new Model().get(65)).isFalse();
    }
}
