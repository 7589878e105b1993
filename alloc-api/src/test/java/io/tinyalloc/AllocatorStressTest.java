package io.tinyalloc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyalloc.sys.Memory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * Seeded multi-thread stress test of one allocator.
 *
 * <p>Workload: {@value #THREAD_COUNT} worker threads run for {@code tinyalloc.stress.seconds}
 * seconds (default {@value #DEFAULT_SECONDS}), each with its own {@link SplittableRandom} split
 * from the seed {@code tinyalloc.stress.seed} (default {@value #DEFAULT_SEED}; printed, so a
 * failure can be replayed; thread interleaving still varies). Each step a worker:
 * <ul>
 *   <li>45%: allocates a block through malloc (60%), calloc (15%, checked zero), alignedAlloc
 *       (15%, alignment 16 B..64 KiB, checked) or allocate (10%); sizes are 1..256 B (80%),
 *       ..8 KiB (15%), ..128 KiB (4%) and 256 KiB..2 MiB (1%, large blocks). It stamps the
 *       block's first 8 bytes with its address and fills the rest with a per-block byte, then
 *       keeps it (up to 256 blocks) or hands it to a random other worker's inbox (a bounded
 *       queue of 512);</li>
 *   <li>30%: takes a block from its inbox, verifies it, then resizes it with realloc (30%;
 *       verifies the kept prefix and restamps) and passes it on, or frees it (70%): blocks are
 *       routinely freed by a thread other than the one that allocated them;</li>
 *   <li>25%: verifies and frees one of its own blocks.</li>
 * </ul>
 * Verification reads the whole block: a block handed out twice, a copy that lost bytes, or a
 * stray write shows up as a wrong stamp or fill byte. At the end every remaining block is
 * verified and freed, and the allocator must report no live block.
 */
class AllocatorStressTest {

    private static final int THREAD_COUNT = 4;
    private static final int DEFAULT_SECONDS = 20;
    private static final long DEFAULT_SEED = 0x7A11_0CL;
    private static final int LOCAL_CAPACITY = 256;
    private static final int INBOX_CAPACITY = 512;
    private static final long STAMP_SALT = 0x5DEECE66DL;

    /** A block in flight: its address, the bytes written, and its fill byte. */
    record Block(long address, long byteSize, byte fill) {
    }

    private final Allocator allocator = TestAllocators.newAllocator();
    private final List<BlockingQueue<Block>> inboxes = new ArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final LongAdder operations = new LongAdder();

    @Test
    void shouldKeepEveryBlockIntactUnderConcurrentAllocationAndCrossThreadFrees() throws Exception {
        long seed = Long.getLong("tinyalloc.stress.seed", DEFAULT_SEED);
        long seconds = Long.getLong("tinyalloc.stress.seconds", DEFAULT_SECONDS);
        System.out.printf("AllocatorStressTest: seed=%d seconds=%d threads=%d%n", seed, seconds, THREAD_COUNT);
        SplittableRandom root = new SplittableRandom(seed);
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < THREAD_COUNT; i++) {
            inboxes.add(new ArrayBlockingQueue<>(INBOX_CAPACITY));
        }
        for (int i = 0; i < THREAD_COUNT; i++) {
            workers.add(new Worker(i, root.split()));
        }
        List<Thread> threads = workers.stream().map(w -> Thread.ofPlatform().name("stress-" + w.index).start(w))
                .toList();

        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline && failure.get() == null) {
            Thread.sleep(50);
        }
        stop.set(true);
        for (Thread thread : threads) {
            thread.join();
        }
        if (failure.get() != null) {
            throw new AssertionError("a worker failed", failure.get());
        }
        for (BlockingQueue<Block> inbox : inboxes) {
            for (Block block : inbox) {
                verifyAndFree(block);
            }
        }
        System.out.printf("AllocatorStressTest: %d operations, %s%n", operations.sum(), allocator.stats());
        assertThat(allocator.stats().liveCount()).isZero();
        assertThat(allocator.stats().liveBytes()).isZero();
        allocator.close();
    }

    private final class Worker implements Runnable {

        final int index;
        final SplittableRandom random;
        final List<Block> local = new ArrayList<>();

        Worker(int index, SplittableRandom random) {
            this.index = index;
            this.random = random;
        }

        @Override
        public void run() {
            try {
                while (!stop.get() && failure.get() == null) {
                    step();
                    operations.increment();
                }
                for (Block block : local) {
                    verifyAndFree(block);
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }

        private void step() {
            int dice = random.nextInt(100);
            if (dice < 45) {
                keepOrSend(allocateBlock());
            } else if (dice < 75) {
                Block received = inboxes.get(index).poll();
                if (received != null) {
                    handleReceived(received);
                }
            } else if (!local.isEmpty()) {
                verifyAndFree(local.remove(random.nextInt(local.size())));
            }
        }

        private Block allocateBlock() {
            long byteSize = nextSize();
            int kind = random.nextInt(100);
            long address;
            if (kind < 60) {
                address = allocator.malloc(byteSize);
            } else if (kind < 75) {
                address = allocator.calloc(1, byteSize);
                check(Memory.isFilledWith(address, byteSize, (byte) 0), "calloc did not zero", address);
            } else if (kind < 90) {
                long byteAlignment = 16L << random.nextInt(13);
                address = allocator.alignedAlloc(byteAlignment, byteSize);
                check(address % byteAlignment == 0, "misaligned for " + byteAlignment, address);
            } else {
                address = allocator.allocate(byteSize, 8).address();
            }
            return write(address, byteSize);
        }

        private void handleReceived(Block block) {
            verify(block);
            if (random.nextInt(100) < 30) {
                long newByteSize = nextSize();
                long address = allocator.realloc(block.address(), newByteSize);
                long kept = Math.min(block.byteSize(), newByteSize);
                verifyPrefix(new Block(address, block.byteSize(), block.fill()), kept, block.address());
                keepOrSend(write(address, newByteSize));
            } else {
                verifyAndFree(block);
            }
        }

        private void keepOrSend(Block block) {
            int target = random.nextInt(THREAD_COUNT);
            if (target != index && inboxes.get(target).offer(block)) {
                return;
            }
            if (local.size() >= LOCAL_CAPACITY) {
                verifyAndFree(local.remove(random.nextInt(local.size())));
            }
            local.add(block);
        }

        private long nextSize() {
            int dice = random.nextInt(100);
            if (dice < 80) {
                return 1 + random.nextInt(256);
            } else if (dice < 95) {
                return 257 + random.nextInt(8192 - 256);
            } else if (dice < 99) {
                return 8193 + random.nextInt(128 * 1024 - 8192);
            }
            return (256 << 10) + random.nextInt(2 << 20);
        }

        private Block write(long address, long byteSize) {
            byte fill = (byte) (1 + random.nextInt(255));
            Memory.fill(address, byteSize, fill);
            if (byteSize >= Long.BYTES) {
                Memory.putLong(address, address ^ STAMP_SALT);
            }
            return new Block(address, byteSize, fill);
        }
    }

    private void verifyAndFree(Block block) {
        verify(block);
        allocator.free(block.address());
    }

    private void verify(Block block) {
        verifyPrefix(block, block.byteSize(), block.address());
    }

    /** The first {@code byteSize} bytes at {@code block.address()} as written at {@code stampAddress}. */
    private void verifyPrefix(Block block, long byteSize, long stampAddress) {
        long address = block.address();
        if (block.byteSize() >= Long.BYTES && byteSize >= Long.BYTES) {
            check(Memory.getLong(address) == (stampAddress ^ STAMP_SALT), "wrong stamp", address);
            check(Memory.isFilledWith(address + Long.BYTES, byteSize - Long.BYTES, block.fill()), "wrong fill", address);
        } else if (block.byteSize() >= Long.BYTES) {
            long stamp = stampAddress ^ STAMP_SALT;
            for (int i = 0; i < byteSize; i++) {
                check(Memory.getByte(address + i) == (byte) (stamp >>> (8 * i)), "wrong stamp byte", address);
            }
        } else {
            check(Memory.isFilledWith(address, byteSize, block.fill()), "wrong fill", address);
        }
    }

    private static void check(boolean condition, String what, long address) {
        if (!condition) {
            throw new AssertionError(what + " at 0x" + Long.toHexString(address));
        }
    }
}
