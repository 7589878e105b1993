package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyalloc.sys.testing.FaultInjectingMapper;
import java.util.function.LongSupplier;

/**
 * The setup of the tests that drive size-class queues without a heap: one queue per class over a
 * fault-injecting mapper, with its memory accounting, arenas (64 MiB each) and page map.
 * {@link #close()} checks every queue's invariants (expensive checks), closes it and gives the
 * arenas back.
 */
final class QueueFixture implements AutoCloseable {

    final FaultInjectingMapper mapper = new FaultInjectingMapper();
    final VirtualMemory memory = new VirtualMemory(mapper, Long.MAX_VALUE, Long.MAX_VALUE);
    final Arenas arenas = new Arenas(memory, 64L << 20);
    final PageMap pageMap = new PageMap();
    final ClassQueue[] queues = new ClassQueue[SizeClasses.COUNT];

    /** @param key the heap key; class c's queue gets {@code key ^ c}, as in a heap */
    QueueFixture(long key) {
        for (int c = 0; c < queues.length; c++) {
            queues[c] = new ClassQueue(c, key ^ c, false, arenas, pageMap);
        }
    }

    /** The queue of the class that serves {@code byteSize}. */
    ClassQueue queueFor(long byteSize) {
        return queues[SizeClasses.classIndex(byteSize)];
    }

    /** A trim policy over these queues and arenas (no thread caches, no pressure probe), reading {@code clock}. */
    Decay decay(TrimConfig config, LongSupplier clock) {
        return new Decay(queues, arenas, new LargeBlocks(memory, pageMap, false), memory, null, null,
                new SlowReaders(), config, clock);
    }

    @Override
    public void close() {
        for (ClassQueue queue : queues) {
            assertThat(queue.check(true)).isTrue();
            queue.close();
        }
        arenas.releaseAll();
    }
}
