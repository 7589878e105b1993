package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;

/** Test setup shared by the partial-purge tests: full segments of one class left with one live block each. */
final class PartlyUsedSegments {

    private PartlyUsedSegments() {
    }

    /**
     * Fills {@code segments} segments of {@code queue}'s class, then frees every block but the
     * first of each segment.
     *
     * @return the blocks still live, one per segment
     */
    static long[] leaveOneBlockEach(ClassQueue queue, int classIndex, int segments) {
        int perSegment = SizeClasses.blockCount(classIndex);
        long[] blocks = new long[segments * perSegment];
        assertThat(queue.allocateBatch(blocks, 0, blocks.length)).isEqualTo(blocks.length);
        long[] kept = new long[segments];
        for (int i = 0; i < blocks.length; i++) {
            if (i % perSegment == 0) {
                kept[i / perSegment] = blocks[i];
            } else {
                assertThat(queue.free(blocks[i])).isNull();
            }
        }
        return kept;
    }

    static void freeAll(ClassQueue queue, long[] kept) {
        for (long block : kept) {
            assertThat(queue.free(block)).isNull();
        }
    }
}
