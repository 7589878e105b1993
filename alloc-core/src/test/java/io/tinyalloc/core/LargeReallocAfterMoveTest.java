package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyalloc.sys.MapOperation;
import io.tinyalloc.sys.Memory;
import io.tinyalloc.sys.testing.FaultInjectingMapper;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A large block whose pages were moved into a fresh reservation (its in-place growth refused) must
 * stay resizable: growing it inside the new reservation and then past it has to work with no
 * memory limit in sight. mremap needs the block's read-write range to be one kernel mapping; a
 * moved mapping keeps its old page offset, so if the rest of the new reservation is a separate
 * mapping, committing into it leaves two mappings the kernel will not merge, and the next remap of
 * the block fails with EFAULT (reported as the kernel refusing memory).
 */
class LargeReallocAfterMoveTest {

    private static final long KIB = 1L << 10;
    private static final long MIB = 1L << 20;

    private final FaultInjectingMapper mapper = new FaultInjectingMapper();
    private final Heap heap = new Heap(HeapConfig.defaults().withThreadCache(false).withTrim(TrimConfig.manual()),
            mapper);
    private final long seed = Long.getLong("tinyalloc.stress.seed", System.nanoTime());
    private final BlockPattern pattern = new BlockPattern(seed, 512);

    @AfterEach
    void closeHeap() {
        assertThat(heap.check(true)).isTrue();
        heap.close();
        heap.unmapClosed();
        assertThat(mapper.reservedBytes()).isZero();
    }

    @Test
    void shouldGrowAMovedBlockInsideItsReservationAndThenPastIt() {
        long block = heap.malloc(MIB + MIB / 2);
        pattern.fill(block, MIB + MIB / 2);
        mapper.failNth(MapOperation.REMAP, 1);

        long moved = heap.realloc(block, 2 * MIB + MIB / 2);
        assertThat(moved).as("in-place growth was refused: the pages moved").isNotEqualTo(block);
        long grown = heap.realloc(moved, 3 * MIB);
        assertThat(grown).as("room left in the new reservation").isEqualTo(moved);
        pattern.verify(grown, block, MIB + MIB / 2);

        long again = heap.realloc(grown, 5 * MIB);

        pattern.verify(again, block, MIB + MIB / 2);
        assertThat(heap.usableSize(again)).isEqualTo(5 * MIB);
        Memory.fill(again + 3 * MIB, 2 * MIB, (byte) 7);
        assertThat(heap.free(again)).isNull();
    }

    @Test
    void shouldKeepGrowingAndShrinkingABlockWhoseGrowthSometimesMoves() {
        System.out.println("LargeReallocAfterMoveTest seed=" + seed);
        SplittableRandom random = new SplittableRandom(seed);
        long byteSize = 64 * KIB;
        long block = heap.malloc(byteSize);
        long origin = block;
        pattern.fill(block, byteSize);
        for (int step = 0; step < 60; step++) {
            // Half the steps grow a little (often inside the reservation), the others jump anywhere.
            long newByteSize = random.nextBoolean()
                    ? Math.min(12 * MIB, byteSize + random.nextLong(4 * KIB, MIB)) & -4096L
                    : random.nextLong(33 * KIB, 12 * MIB) & -4096L;
            if (random.nextBoolean()) {
                mapper.failNth(MapOperation.REMAP, 1);
            }
            long resized = heap.realloc(block, newByteSize);
            pattern.verify(resized, origin, Math.min(byteSize, newByteSize));
            block = resized;
            origin = resized;
            byteSize = newByteSize;
            pattern.fill(block, byteSize);
        }
        assertThat(heap.free(block)).isNull();
    }
}
