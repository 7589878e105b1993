package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyalloc.sys.MapException;
import io.tinyalloc.sys.MapOperation;
import io.tinyalloc.sys.Mapper;
import io.tinyalloc.sys.Memory;
import io.tinyalloc.sys.Protection;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A large block resized under its lock gives address space back to the kernel (the tail of a
 * shrunk reservation, the old range of a moved block). The moment the kernel has it, another
 * thread may map it: here a new arena, whose segment enters the page map. The resize must not
 * then clear page-map entries for the range it gave back, or that segment's blocks become
 * NOT_OWNED: a valid free refused, the segment stranded. The {@link HoleFillingMapper} makes the
 * interleaving deterministic: right after the unmap it has another thread allocate, and places
 * that thread's arena reservation in the hole, as the kernel's top-down allocator may.
 *
 * <p>The hole is never left open to the rest of the JVM: a thread stack or malloc arena mapped
 * there would be clobbered by the fill and crash the test JVM. The mapper keeps an inaccessible
 * placeholder in the hole until the other thread's reservation replaces it (an mremap to a fixed
 * address replaces atomically), never leaves the range unmapped between two calls, and the other
 * thread exists before the hole does.
 */
class LargeUnmapPageMapOrderTest {

    private static final long MIB = 1L << 20;

    private final HoleFillingMapper holes = new HoleFillingMapper();
    // One segment per arena: the other thread's first block of a new class needs a new arena.
    private final Heap heap = new Heap(HeapConfig.defaults().withArenaByteSize(MIB).withThreadCache(false)
            .withTrim(TrimConfig.manual()), holes);
    private final long seed = Long.getLong("tinyalloc.stress.seed", System.nanoTime());
    private final BlockPattern pattern = new BlockPattern(seed, 8);
    private final ExecutorService other = startedThread();

    @AfterEach
    void closeHeap() {
        other.shutdownNow();
        heap.close();
        heap.unmapClosed();
        assertThat(heap.stats().reservedBytes()).isZero();
    }

    @Test
    void shouldKeepTheSegmentOfAnArenaMappedIntoTheTailOfAShrunkBlock() throws Exception {
        long first = heap.malloc(16);
        long block = heap.malloc(4 * MIB);
        pattern.fill(block, 4 * MIB);
        long[] other = new long[1];
        holes.afterNextUnmap(() -> other[0] = mallocOnAnotherThread(4096));

        long shrunk = heap.realloc(block, MIB + MIB / 2);

        assertThat(shrunk).isEqualTo(block);
        assertThat(holes.filledHole()).as("the other thread's arena went into the tail").isEqualTo(block + 2 * MIB);
        assertIntactAndFreeable(shrunk, block, MIB + MIB / 2, other[0], first);
    }

    @Test
    void shouldKeepTheSegmentOfAnArenaMappedWhereAMovedBlockWas() throws Exception {
        long first = heap.malloc(16);
        long block = heap.malloc(2 * MIB);
        pattern.fill(block, 2 * MIB);
        long[] other = new long[1];
        holes.failNextRemap();
        holes.afterNextUnmap(() -> other[0] = mallocOnAnotherThread(4096));

        long moved = heap.realloc(block, 6 * MIB);

        assertThat(moved).isNotEqualTo(block);
        assertThat(holes.filledHole()).as("the other thread's arena went where the block was").isEqualTo(block);
        assertIntactAndFreeable(moved, block, 2 * MIB, other[0], first);
    }

    private void assertIntactAndFreeable(long large, long origin, long largeByteSize, long small, long first) {
        pattern.verify(large, origin, largeByteSize);
        Memory.fill(small, 4096, (byte) 0x5A);
        assertThat(heap.validate(small)).as("the other thread's block, address=0x%x", small).isNull();
        assertThat(heap.check(true)).isTrue();
        assertThat(Memory.isFilledWith(small, 4096, (byte) 0x5A)).isTrue();
        pattern.verify(large, origin, largeByteSize);
        assertThat(heap.free(small)).isNull();
        assertThat(heap.free(large)).isNull();
        assertThat(heap.free(first)).isNull();
        heap.trim();
        assertThat(heap.stats().liveBytes()).isZero();
        assertThat(heap.stats().committedBytes()).isZero();
    }

    private long mallocOnAnotherThread(long byteSize) {
        try {
            return other.submit(() -> heap.malloc(byteSize)).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new AssertionError(e);
        }
    }

    /** A platform thread that already runs, so that its stack is not mapped while a hole is open. */
    private static ExecutorService startedThread() {
        ExecutorService executor = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().factory());
        try {
            executor.submit(() -> { }).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new AssertionError(e);
        }
        return executor;
    }

    /**
     * Runs a hook right after the next range is unmapped (munmap, or the old range of an mremap
     * to a fixed address), and moves the reservation the hook makes into that hole.
     */
    static final class HoleFillingMapper extends ForwardingMapper {

        private volatile Runnable hook;
        private volatile long holeAddress;
        private volatile long holeByteSize;
        private volatile long filledHole;
        private volatile long filledByteSize;
        private volatile boolean failNextRemap;

        HoleFillingMapper() {
            super(Mapper.system());
        }

        void afterNextUnmap(Runnable action) {
            hook = action;
        }

        /** The next in-place mremap is refused, as when the address space after the block is taken. */
        void failNextRemap() {
            failNextRemap = true;
        }

        @Override
        public long remap(long address, long oldByteSize, long newByteSize, boolean mayMove) {
            if (failNextRemap) {
                failNextRemap = false;
                throw new MapException(MapOperation.REMAP, address, newByteSize, 12, "refused by the test");
            }
            return delegate.remap(address, oldByteSize, newByteSize, mayMove);
        }

        long filledHole() {
            return filledHole;
        }

        /** With a hook set, the range becomes an empty inaccessible placeholder instead of a hole. */
        @Override
        public void release(long address, long byteSize) {
            if (hook == null) {
                delegate.release(address, byteSize);
                return;
            }
            delegate.protect(address, byteSize, Protection.NONE);
            delegate.decommit(address, byteSize);
            fire(address, byteSize);
        }

        /**
         * With a hook set, the move is made by copying, and the old range becomes a placeholder
         * as in {@link #release}. A real move followed by a placeholder mremapped onto the old
         * range would leave it unmapped between the two calls, and the second, fixed-address
         * call would then replace whatever another JVM thread mapped there meanwhile. The heap
         * moves only the committed part of a block, so the old range is readable throughout.
         */
        @Override
        public void remapFixed(long address, long oldByteSize, long newAddress, long newByteSize) {
            if (hook == null) {
                delegate.remapFixed(address, oldByteSize, newAddress, newByteSize);
                return;
            }
            delegate.commit(newAddress, newByteSize);
            Memory.copy(address, newAddress, Math.min(oldByteSize, newByteSize));
            delegate.protect(address, oldByteSize, Protection.NONE);
            delegate.decommit(address, oldByteSize);
            fire(address, oldByteSize);
        }

        @Override
        public long reserve(long byteSize, long byteAlignment) {
            long address = delegate.reserve(byteSize, byteAlignment);
            long hole = holeAddress;
            if (hole != 0 && byteSize <= holeByteSize && hole % byteAlignment == 0) {
                delegate.remapFixed(address, byteSize, hole, byteSize);
                holeAddress = 0;
                filledHole = hole;
                filledByteSize = byteSize;
                return hole;
            }
            return address;
        }

        /** Runs the hook while the placeholder holds the range, then unmaps what it did not fill. */
        private void fire(long address, long byteSize) {
            Runnable action = hook;
            hook = null;
            holeByteSize = byteSize;
            holeAddress = address;
            try {
                action.run();
            } finally {
                holeAddress = 0;
                long filled = filledHole == address ? filledByteSize : 0;
                if (filled < byteSize) {
                    delegate.release(address + filled, byteSize - filled);
                }
            }
        }
    }
}
