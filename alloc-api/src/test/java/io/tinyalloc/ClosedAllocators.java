package io.tinyalloc;

import io.tinyalloc.sys.testing.FaultInjectingMapper;

/**
 * For tests that check that a closed allocator's address space is unmapped: close() gives the
 * memory back but keeps the reservations, which go once the allocator is unreachable (a racing
 * call must never touch unmapped memory, see {@link Allocator#close()}).
 */
final class ClosedAllocators {

    private static final long WAIT_MILLIS = 10_000;

    private ClosedAllocators() {
    }

    /**
     * Collects garbage until {@code mapper} holds no reservation any more or 10 s have passed; the
     * caller has closed and dropped every allocator over it.
     */
    static void awaitUnmapped(FaultInjectingMapper mapper) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
        while (mapper.reservedBytes() != 0 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
    }
}
