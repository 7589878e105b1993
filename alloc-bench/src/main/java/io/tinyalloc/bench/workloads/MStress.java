package io.tinyalloc.bench.workloads;

import io.tinyalloc.bench.NativeAllocator;
import io.tinyalloc.sys.Memory;
import java.util.SplittableRandom;

/**
 * mstress (mimalloc's test-stress, as run by mimalloc-bench): {@code roundCount} rounds, each of
 * {@code threadCount} new threads. Thread {@code t} makes {@code 100 * scale * (t % 8 + 1)}
 * allocations of 1..16 words, keeps half as many "retained" ones of 1..64 words, frees a random
 * earlier block two times in three, and one time in four swaps a block with one of
 * {@value #TRANSFER_SLOTS} global transfer slots, so blocks outlive the thread that made them and
 * are freed by another. One allocation in a hundred is 100x larger, and of those one in ten is
 * 1000x and one in a hundred 10000x. Between rounds the main thread frees half the transfer slots.
 * Metric: allocations per second.
 *
 * <p>Blocks come from calloc and are checked to be zero; every word is then filled with
 * {@code (words - i) ^ cookie} and the whole block is verified when it is freed.
 */
public final class MStress extends AbstractKernel<MStress.Config> {

    public static final String NAME = "mstress";
    static final int TRANSFER_SLOTS = 1000;
    private static final int ITEM_SHIFTS = 5;
    private static final int RETAINED_ITEM_SHIFTS = ITEM_SHIFTS + 2;
    private static final long MAX_WORDS = (1L << (RETAINED_ITEM_SHIFTS - 1)) * 10_000;

    public record Config(int scale, int roundCount) {

        static Config of(Scale scale) {
            return switch (scale) {
                case TEST -> new Config(1, 2);
                case BENCH -> new Config(10, 4);
            };
        }
    }

    public MStress(Config config) {
        super(NAME, "allocations", config);
    }

    @Override
    long runChecked(NativeAllocator allocator, int threadCount) {
        SharedSlots transfers = new SharedSlots(TRANSFER_SLOTS, address -> freeItems(allocator, address));
        long allocations = 0;
        SplittableRandom mainRandom = new SplittableRandom(42);
        Workers workers = new Workers(NAME);
        try {
            for (int round = 0; round < config.roundCount; round++) {
                int seedBase = round * threadCount;
                allocations += workers.sumAll(threadCount, thread ->
                        new Stressor(allocator, transfers, thread, seedBase + thread).run());
                for (int slot = 0; slot < TRANSFER_SLOTS; slot++) {
                    if (mainRandom.nextInt(2) == 0) {
                        transfers.release(slot);
                    }
                }
            }
        } finally {
            transfers.releaseAll();
        }
        return allocations;
    }

    static void freeItems(NativeAllocator allocator, long address) {
        if (address == 0) {
            return;
        }
        long words = Memory.getLong(address) ^ BlockCheck.COOKIE;
        if (words < 1 || words > MAX_WORDS) {
            throw WorkloadErrors.corrupted(NAME, address, 0, -1, Memory.getLong(address));
        }
        for (long index = 0; index < words; index++) {
            long word = Memory.getLong(address + index * Long.BYTES);
            if (word != ((words - index) ^ BlockCheck.COOKIE)) {
                throw WorkloadErrors.corrupted(NAME, address, index * Long.BYTES, (words - index) ^ BlockCheck.COOKIE, word);
            }
        }
        allocator.free(address);
    }

    /** One thread's part of a round. */
    private final class Stressor {

        private final NativeAllocator allocator;
        private final SharedSlots transfers;
        private final SplittableRandom random;
        private long allocationsLeft;
        private long retainLeft;

        Stressor(NativeAllocator allocator, SharedSlots transfers, int thread, int seed) {
            this.allocator = allocator;
            this.transfers = transfers;
            this.random = new SplittableRandom((seed + 1L) * 43);
            this.allocationsLeft = 100L * config.scale * (thread % 8 + 1);
            this.retainLeft = allocationsLeft / 2;
        }

        /** Returns the number of allocations made. */
        long run() {
            long[] data = new long[(int) allocationsLeft];
            long[] retained = new long[(int) retainLeft];
            int dataTop = 0;
            int retainedTop = 0;
            long made = allocationsLeft + retainLeft;
            try {
                while (allocationsLeft > 0 || retainLeft > 0) {
                    if (retainLeft == 0 || (chance(50) && allocationsLeft > 0)) {
                        allocationsLeft--;
                        data[dataTop++] = allocateItems(1L << random.nextInt(ITEM_SHIFTS));
                    } else {
                        retainLeft--;
                        retained[retainedTop++] = allocateItems(1L << random.nextInt(RETAINED_ITEM_SHIFTS));
                    }
                    if (chance(66) && dataTop > 0) {
                        int index = random.nextInt(dataTop);
                        freeItems(allocator, data[index]);
                        data[index] = 0;
                    }
                    if (chance(25) && dataTop > 0) {
                        int index = random.nextInt(dataTop);
                        data[index] = transfers.swap(random.nextInt(TRANSFER_SLOTS), data[index]);
                    }
                }
            } finally {
                freeAll(retained, retainedTop);
                freeAll(data, dataTop);
            }
            return made;
        }

        private long allocateItems(long words) {
            if (chance(1)) {
                if (chance(1)) {
                    words *= 10_000;
                } else if (chance(10)) {
                    words *= 1_000;
                } else {
                    words *= 100;
                }
            }
            long address = allocator.calloc(words, Long.BYTES);
            BlockCheck.verifyZeroed(NAME, address, words * Long.BYTES);
            for (long index = 0; index < words; index++) {
                Memory.putLong(address + index * Long.BYTES, (words - index) ^ BlockCheck.COOKIE);
            }
            return address;
        }

        private void freeAll(long[] addresses, int top) {
            for (int index = 0; index < top; index++) {
                freeItems(allocator, addresses[index]);
                addresses[index] = 0;
            }
        }

        private boolean chance(int percent) {
            return random.nextInt(100) < percent;
        }
    }
}
