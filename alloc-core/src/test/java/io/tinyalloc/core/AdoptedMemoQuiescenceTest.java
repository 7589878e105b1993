package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyalloc.sys.Mapper;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The interleaving the trim thread can produce between a quiescence request and the adoption of
 * a dead thread's cache: a thread remembers (memo) a segment of an arena that then empties and
 * retires; a quiescence epoch is requested without a trim epoch (so the cache stays adoptable);
 * the thread dies before passing it; a new thread takes its bins over and counts as having
 * passed the epoch, so the arena is unmapped. The new thread's free of a stale pointer into that
 * arena must then be a clean NOT_OWNED: the inherited memo must not lead the fast path into the
 * unmapped header (that would be a crash, not a failed assertion).
 *
 * <p>The new thread only mallocs before that free: a free of its own would replace the memo.
 * The 64 B segment both threads use is carved first, so that it sits in the first arena.
 *
 * <p>Driven step by step through the heap's parts (what {@link Heap#trim()} does, minus the trim
 * epoch and the sweep), so the interleaving is exact.
 */
class AdoptedMemoQuiescenceTest {

    private static final long MIB = 1L << 20;
    private static final long ARENA = 4 * MIB;
    private static final int BLOCK = 32 * 1024;

    @Test
    void shouldFaultCleanlyOnAStalePointerAfterANewThreadAdoptsACacheWhoseMemoPointedIntoAnUnmappedArena()
            throws Exception {
        try (Heap heap = new Heap(HeapConfig.defaults().withArenaByteSize(ARENA), Mapper.system())) {
            assertThat(heap.free(heap.malloc(64))).isNull();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicLong staleBlock = new AtomicLong();
            CountDownLatch registered = new CountDownLatch(1);
            CountDownLatch blocksReady = new CountDownLatch(1);
            CountDownLatch remembered = new CountDownLatch(1);
            CountDownLatch mayDie = new CountDownLatch(1);
            // The first thread's cache carves its 64 B block (from its shard's own segment) before
            // the big blocks fill the later arenas, so that segment is in the first arena too.
            Thread first = Thread.ofPlatform().start(() -> {
                try {
                    assertThat(heap.free(heap.malloc(64))).isNull();
                    registered.countDown();
                    blocksReady.await();
                    long stale = staleBlock.get();
                    assertThat(heap.free(stale)).isNull();
                    assertThat(heap.malloc(BLOCK)).as("the block just freed, from the bin").isEqualTo(stale);
                    remembered.countDown();
                    mayDie.await();
                } catch (Throwable t) {
                    failure.set(t);
                    registered.countDown();
                    remembered.countDown();
                }
            });
            registered.await();
            List<Long> blocks = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                blocks.add(heap.malloc(BLOCK));
            }
            long stale = blocks.removeLast();
            assertThat(heap.arenaCount()).isGreaterThanOrEqualTo(3);
            staleBlock.set(stale);
            blocksReady.countDown();
            remembered.await();
            assertThat(failure.get()).isNull();
            blocks.add(stale);
            blocks.forEach(block -> assertThat(heap.free(block)).isNull());
            giveEverythingBackWithoutATrimEpoch(heap);
            int arenasBefore = heap.arenaCount();
            decay(heap).releaseArenas(System.nanoTime());
            assertThat(heap.arenaCount()).as("the first thread has not passed the epoch").isEqualTo(arenasBefore);

            mayDie.countDown();
            first.join();
            AtomicReference<AddressFault> staleFree = new AtomicReference<>();
            CountDownLatch adopted = new CountDownLatch(1);
            CountDownLatch released = new CountDownLatch(1);
            Thread second = Thread.ofPlatform().start(() -> {
                try {
                    long mine = heap.malloc(64);
                    adopted.countDown();
                    released.await();
                    staleFree.set(heap.free(stale));
                    assertThat(heap.free(mine)).isNull();
                } catch (Throwable t) {
                    failure.set(t);
                    adopted.countDown();
                }
            });
            adopted.await();
            assertThat(caches(heap).adoptedCount()).as("the second thread took the first one's bins").isEqualTo(1);
            decay(heap).releaseArenas(System.nanoTime());
            assertThat(heap.arenaCount()).as("every arena but the first is unmapped").isEqualTo(1);
            released.countDown();
            second.join();
            assertThat(failure.get()).isNull();
            assertThat(staleFree.get()).isEqualTo(AddressFault.NOT_OWNED);
            assertThat(heap.check(true)).isTrue();
        }
    }

    /** The calling thread's cache, the ICC and the class queues give back their blocks and segments. */
    private static void giveEverythingBackWithoutATrimEpoch(Heap heap) throws Exception {
        caches(heap).cacheOf(Thread.currentThread()).drain();
        ((InterConnectCache) field(heap, "icc")).drain();
        for (ClassQueue queue : (ClassQueue[]) field(heap, "queues")) {
            queue.trim();
        }
        ((Arenas) field(heap, "arenas")).decommitSpares();
    }

    private static ThreadCaches caches(Heap heap) throws Exception {
        return (ThreadCaches) field(heap, "caches");
    }

    private static Decay decay(Heap heap) throws Exception {
        return (Decay) field(heap, "decay");
    }

    private static Object field(Heap heap, String name) throws ReflectiveOperationException {
        Field field = Heap.class.getDeclaredField(name);
        field.setAccessible(true);
        return field.get(heap);
    }
}
