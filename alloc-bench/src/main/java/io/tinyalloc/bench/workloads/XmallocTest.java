package io.tinyalloc.bench.workloads;

import io.tinyalloc.bench.NativeAllocator;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * xmalloc-test (Lever and Boreham's producer/consumer test, as run by mimalloc-bench):
 * {@code threadCount} producers allocate batches of {@code batchCount} blocks of {@code byteSize}
 * bytes and push them onto one shared LIFO of at most {@code maxQueuedBatches} batches (a producer
 * waits while it is full); {@code threadCount} consumers pop batches and free every block. Every
 * free is a free by another thread. Metric: frees per second.
 *
 * <p>Every block carries a stamp checked by the consumer before it frees it.
 */
public final class XmallocTest extends AbstractKernel<XmallocTest.Config> {

    public static final String NAME = "xmalloc-test";

    public record Config(int batchCount, int byteSize, int maxQueuedBatches, int batchesPerProducer) {

        static Config of(Scale scale) {
            return switch (scale) {
                case TEST -> new Config(32, 64, 2, 4);
                case BENCH -> new Config(4096, 64, 100, 16);
            };
        }
    }

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    public XmallocTest(Config config) {
        super(NAME, "frees", config);
    }

    @Override
    long runChecked(NativeAllocator allocator, int threadCount) {
        long batchTotal = (long) threadCount * config.batchesPerProducer;
        BatchStack stack = new BatchStack(config.maxQueuedBatches);
        AtomicLong tickets = new AtomicLong();
        LongAdder frees = new LongAdder();
        Workers workers = new Workers(NAME);
        workers.runAll(2 * threadCount, index -> {
            if (index < threadCount) {
                produce(allocator, index, stack, workers);
            } else {
                consume(allocator, batchTotal, tickets, stack, frees, workers);
            }
        });
        return frees.sum();
    }

    private void produce(NativeAllocator allocator, int producer, BatchStack stack, Workers workers) {
        for (int batchIndex = 0; batchIndex < config.batchesPerProducer; batchIndex++) {
            long batchId = (long) producer * config.batchesPerProducer + batchIndex;
            long[] addresses = new long[config.batchCount];
            for (int index = 0; index < addresses.length; index++) {
                addresses[index] = allocator.malloc(config.byteSize);
                BlockCheck.stamp(addresses[index], config.byteSize, tag(batchId, index));
            }
            stack.push(new Batch(batchId, addresses), workers);
        }
    }

    private void consume(NativeAllocator allocator, long batchTotal, AtomicLong tickets, BatchStack stack,
                         LongAdder frees, Workers workers) {
        while (tickets.getAndIncrement() < batchTotal) {
            Batch batch = stack.pop(workers);
            for (int index = 0; index < batch.addresses.length; index++) {
                BlockCheck.verify(NAME, batch.addresses[index], config.byteSize, tag(batch.id, index));
                allocator.free(batch.addresses[index]);
            }
            frees.add(batch.addresses.length);
        }
    }

    private static long tag(long batchId, int index) {
        return (batchId << 24) | index;
    }

    private record Batch(long id, long[] addresses) {
    }

    /** A bounded LIFO of batches; waits give up when another worker has failed. */
    private static final class BatchStack {

        private final ReentrantLock lock = new ReentrantLock();
        private final Condition notFull = lock.newCondition();
        private final Condition notEmpty = lock.newCondition();
        private final ArrayDeque<Batch> batches = new ArrayDeque<>();
        private final int capacity;

        BatchStack(int capacity) {
            this.capacity = capacity;
        }

        void push(Batch batch, Workers workers) {
            lock.lock();
            try {
                while (batches.size() >= capacity) {
                    awaitOrAbort(notFull, workers);
                }
                batches.push(batch);
                notEmpty.signal();
            } finally {
                lock.unlock();
            }
        }

        Batch pop(Workers workers) {
            lock.lock();
            try {
                while (batches.isEmpty()) {
                    awaitOrAbort(notEmpty, workers);
                }
                notFull.signal();
                return batches.pop();
            } finally {
                lock.unlock();
            }
        }

        private static void awaitOrAbort(Condition condition, Workers workers) {
            if (workers.failed()) {
                throw WorkloadErrors.workerFailed(NAME, new IllegalStateException("another worker failed"));
            }
            try {
                condition.awaitNanos(POLL_NANOS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw WorkloadErrors.interrupted(NAME);
            }
        }
    }
}
