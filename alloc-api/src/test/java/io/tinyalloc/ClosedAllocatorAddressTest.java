package io.tinyalloc;

import static io.tinyalloc.TestAllocators.hex;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * A call that takes an address, made on a closed allocator, names that address as every other
 * refused address does: {@code "free(0x7f3a12345678): the allocator is closed"}.
 */
class ClosedAllocatorAddressTest {

    @Test
    void shouldNameTheAddressOfEveryAddressCallOnAClosedAllocator() {
        Allocator closed = TestAllocators.newAllocator();
        long address = closed.malloc(10);
        MemorySegment view = closed.allocate(32, 8);
        closed.close();

        expectClosed(() -> closed.free(address), "free(" + hex(address) + ")");
        expectClosed(() -> closed.free(view), "free(" + hex(view.address()) + ")");
        expectClosed(() -> closed.usableSize(address), "usableSize(" + hex(address) + ")");
        expectClosed(() -> closed.realloc(address, 20), "realloc(" + hex(address) + ")");
        expectClosed(() -> closed.segment(address), "segment(" + hex(address) + ")");
    }

    private static void expectClosed(ThrowingCallable call, String callWithAddress) {
        assertThatThrownBy(call).isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage(callWithAddress + ": the allocator is closed");
    }
}
