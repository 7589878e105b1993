package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyalloc.sys.Mapper;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link Heap#close()} unmaps everything right after {@link Trimmer#stop()}, which promises to
 * return only once the trim thread has finished its last pass. A caller whose interrupt flag is
 * set (a task cancelled while it closes its heap in a finally block) must still wait, and keep
 * its interrupt flag.
 */
class InterruptedCloseTest {

    private static final int ROUNDS = 20;

    @Test
    void shouldNotReturnFromCloseBeforeTheTrimThreadHasEndedWhenTheCallerIsInterrupted() throws Exception {
        TrimConfig trim = TrimConfig.defaults().withPurgeDelay(Duration.ZERO);
        AtomicReference<String> problem = new AtomicReference<>();
        Thread closer = Thread.ofPlatform().start(() -> {
            for (int round = 0; round < ROUNDS && problem.get() == null; round++) {
                Heap heap = new Heap(HeapConfig.defaults().withTrim(trim), Mapper.system());
                heap.free(heap.malloc(64));
                Thread trimThread = heap.trimThread();
                Thread.currentThread().interrupt();
                heap.close();
                boolean stillInterrupted = Thread.interrupted();
                if (trimThread != null && trimThread.isAlive()) {
                    problem.set("round " + round + ": close() returned while " + trimThread.getName() + " was alive");
                } else if (!stillInterrupted) {
                    problem.set("round " + round + ": close() swallowed the caller's interrupt");
                }
            }
        });
        closer.join();
        assertThat(problem.get()).isNull();
    }
}
