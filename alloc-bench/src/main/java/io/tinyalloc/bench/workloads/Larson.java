package io.tinyalloc.bench.workloads;

import io.tinyalloc.bench.NativeAllocator;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;

/**
 * larson (Larson and Krishnan's server simulation, as run by mimalloc-bench): {@code threadCount}
 * lanes, each an array of {@code slotCount} blocks of 8..1000 bytes. The calling thread fills every
 * lane, then each lane is worked by a chain of threads: a worker frees a random slot and allocates a
 * new random size into it, {@code stepsPerGeneration} times, then hands the lane to a successor
 * thread it starts, and exits. So most frees are of blocks allocated by a thread that is gone, and
 * threads come and go all the time. Metric: allocations per second.
 *
 * <p>Every block carries a stamp (a serial number) checked before it is freed.
 */
public final class Larson extends AbstractKernel<Larson.Config> {

    public static final String NAME = "larson";

    /** @param generationCount how many threads work each lane, one after the other */
    public record Config(int slotCount, int minByteSize, int maxByteSize, int stepsPerGeneration, int generationCount) {

        static Config of(Scale scale) {
            return switch (scale) {
                case TEST -> new Config(64, 8, 1000, 256, 3);
                case BENCH -> new Config(5000, 8, 1000, 20_000, 4);
            };
        }
    }

    public Larson(Config config) {
        super(NAME, "allocations", config);
    }

    @Override
    long runChecked(NativeAllocator allocator, int threadCount) {
        LongAdder allocations = new LongAdder();
        Lane[] lanes = new Lane[threadCount];
        for (int index = 0; index < threadCount; index++) {
            lanes[index] = new Lane(index, allocator, allocations);
            lanes[index].fill();
        }
        Workers workers = new Workers(NAME);
        CountDownLatch chainsDone = new CountDownLatch(threadCount);
        for (Lane lane : lanes) {
            startGeneration(workers, lane, 0, chainsDone);
        }
        await(chainsDone);
        for (Lane lane : lanes) {
            lane.freeAll();
        }
        workers.rethrowFailure();
        return allocations.sum();
    }

    private void startGeneration(Workers workers, Lane lane, int generation, CountDownLatch chainsDone) {
        workers.start(lane.index, ignored -> {
            boolean handedOff = false;
            try {
                lane.work(config.stepsPerGeneration);
                if (generation + 1 < config.generationCount && !workers.failed()) {
                    startGeneration(workers, lane, generation + 1, chainsDone);
                    handedOff = true;
                }
            } finally {
                if (!handedOff) {
                    chainsDone.countDown();
                }
            }
        });
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw WorkloadErrors.interrupted(NAME);
        }
    }

    /** One lane's blocks; owned by one thread at a time (Thread.start orders the hand-offs). */
    private final class Lane {

        private final int index;
        private final NativeAllocator allocator;
        private final LongAdder allocations;
        private final SplittableRandom random;
        private final Slots slots;
        private long nextTag;

        Lane(int index, NativeAllocator allocator, LongAdder allocations) {
            this.index = index;
            this.allocator = allocator;
            this.allocations = allocations;
            this.random = new SplittableRandom(4141L + index);
            this.slots = new Slots(allocator, config.slotCount,
                    (address, byteSize, tag) -> BlockCheck.verify(NAME, address, byteSize, tag));
            this.nextTag = (index + 1L) << 40;
        }

        void fill() {
            for (int slot = 0; slot < slots.slotCount(); slot++) {
                allocateInto(slot);
            }
            allocations.add(slots.slotCount());
        }

        void work(int steps) {
            for (int step = 0; step < steps; step++) {
                int slot = random.nextInt(slots.slotCount());
                slots.release(slot);
                allocateInto(slot);
            }
            allocations.add(steps);
        }

        void freeAll() {
            slots.releaseAll();
        }

        private void allocateInto(int slot) {
            int byteSize = config.minByteSize + random.nextInt(config.maxByteSize - config.minByteSize + 1);
            long address = allocator.malloc(byteSize);
            long tag = nextTag++;
            BlockCheck.stamp(address, byteSize, tag);
            slots.put(slot, address, byteSize, tag);
        }
    }
}
