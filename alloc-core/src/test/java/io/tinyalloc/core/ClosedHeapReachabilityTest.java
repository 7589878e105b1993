package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyalloc.sys.Mapper;
import java.lang.ref.WeakReference;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * A closed heap must not stay reachable from the threads that used it: each platform thread's
 * thread-local map holds an entry for the heap's cache registry, and that entry must not keep
 * the heap (page map, arenas, queues) alive once the heap is closed and dropped. Workload: a
 * worker thread allocates and frees through its thread cache and then stays alive, idle; the
 * test thread closes the heap and drops it; the heap's cache registry (which reaches its page map,
 * arenas and queues) must then be collectable while the worker still lives.
 */
class ClosedHeapReachabilityTest {

    @Test
    void shouldLetClosedHeapBeCollectedWhileAThreadThatUsedItLives() throws Exception {
        CountDownLatch used = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        WeakReference<Object> ref = startWorkerThenClose(used, finish);
        try {
            for (int attempt = 0; attempt < 50 && ref.get() != null; attempt++) {
                System.gc();
                Thread.sleep(20);
            }
            assertThat(ref.get()).as("closed heap still reachable from a live thread").isNull();
        } finally {
            finish.countDown();
        }
    }

    /** Returns a weak reference to the heap's cache registry, the object a thread-local entry would pin. */
    private static WeakReference<Object> startWorkerThenClose(CountDownLatch used, CountDownLatch finish)
            throws Exception {
        Heap heap = new Heap(HeapConfig.defaults(), Mapper.system());
        Heap[] handOver = {heap};
        Thread.ofPlatform().daemon().name("idle-user").start(() -> {
            allocateAndFree(handOver);
            used.countDown();
            try {
                finish.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        used.await();
        assertThat(heap.cacheStats()).isNotNull();
        heap.close();
        java.lang.reflect.Field registry = Heap.class.getDeclaredField("caches");
        registry.setAccessible(true);
        return new WeakReference<>(registry.get(heap));
    }

    /** Uses the heap through this thread's cache, then forgets it: only the heap's own thread-local entry remains. */
    private static void allocateAndFree(Heap[] handOver) {
        Heap heap = handOver[0];
        handOver[0] = null;
        long[] blocks = new long[64];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = heap.malloc(32);
        }
        for (long block : blocks) {
            heap.free(block);
        }
    }
}
