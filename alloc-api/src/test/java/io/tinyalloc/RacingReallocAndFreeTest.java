package io.tinyalloc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A program bug the allocator must still report in its own terms: one thread reallocs a block
 * while another frees it. Whichever loses must get an {@link InvalidAddressException} naming the
 * call and the address, whether the free landed before realloc's check or in the middle of the
 * move; never a bare exception of the core with a message in another format.
 */
class RacingReallocAndFreeTest {

    private static final long RUN_NANOS = 2_000_000_000L;

    private final Allocator allocator = TestAllocators.builder().trimThread(false).build();

    @AfterEach
    void closeAllocator() {
        allocator.close();
    }

    @Test
    void shouldReportTheLosingCallAsAnInvalidAddressNamingIt() throws Exception {
        Map<String, Integer> refusals = new ConcurrentHashMap<>();
        long deadline = System.nanoTime() + RUN_NANOS;
        while (System.nanoTime() < deadline) {
            long address = allocator.malloc(100);
            CyclicBarrier start = new CyclicBarrier(2);
            AtomicLong moved = new AtomicLong();
            AtomicReference<Throwable> reallocFailure = new AtomicReference<>();
            Thread reallocating = new Thread(() -> {
                try {
                    start.await();
                    moved.set(allocator.realloc(address, 5000));
                } catch (Throwable e) {
                    reallocFailure.set(e);
                }
            });
            reallocating.start();
            start.await();
            Throwable freeFailure = null;
            try {
                allocator.free(address);
            } catch (Throwable e) {
                freeFailure = e;
            }
            reallocating.join();

            expectInvalidAddressOrNothing(freeFailure, "free", address, refusals);
            expectInvalidAddressOrNothing(reallocFailure.get(), "realloc", address, refusals);
            if (moved.get() != 0 && moved.get() != address) {
                allocator.free(moved.get());
            }
        }
        assertThat(refusals).isNotEmpty();
    }

    private static void expectInvalidAddressOrNothing(Throwable failure, String call, long address,
                                                      Map<String, Integer> refusals) {
        if (failure == null) {
            return;
        }
        assertThat(failure).isInstanceOf(InvalidAddressException.class)
                .hasMessageStartingWith(call + "(" + TestAllocators.hex(address) + "): ");
        refusals.merge(call + " " + ((InvalidAddressException) failure).reason(), 1, Integer::sum);
    }
}
