package io.tinyalloc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyalloc.core.AddressFault;
import io.tinyalloc.core.HeapExhaustedException;
import io.tinyalloc.sys.Errno;
import io.tinyalloc.sys.MapException;
import io.tinyalloc.sys.MapOperation;
import org.junit.jupiter.api.Test;

/**
 * The translation of the core's reports into public exceptions, for every kind, including those
 * that are hard to provoke through the allocator.
 */
class ErrorsTest {

    @Test
    void shouldTranslateEveryAddressFault() {
        assertThat(Errors.invalidAddress("free", 0x10L, AddressFault.NOT_OWNED))
                .hasMessage("free(0x10): not allocated by this allocator")
                .extracting(InvalidAddressException::reason).isEqualTo(InvalidAddressException.Reason.NOT_OWNED);
        assertThat(Errors.invalidAddress("free", 0x20L, AddressFault.INTERIOR))
                .hasMessage("free(0x20): points inside a block, not at its start")
                .extracting(InvalidAddressException::reason).isEqualTo(InvalidAddressException.Reason.INTERIOR);
        assertThat(Errors.invalidAddress("free", 0x7f3a12345678L, AddressFault.DOUBLE_FREE))
                .hasMessage("free(0x7f3a12345678): a second free of the same block")
                .extracting(InvalidAddressException::reason).isEqualTo(InvalidAddressException.Reason.DOUBLE_FREE);
        assertThat(Errors.invalidAddress("realloc", 0x30L, AddressFault.NOT_ALLOCATED))
                .hasMessage("realloc(0x30): no block was ever allocated at this address")
                .extracting(InvalidAddressException::reason).isEqualTo(InvalidAddressException.Reason.NOT_ALLOCATED);
    }

    @Test
    void shouldDecodeTheNegativeUsableSizeOfTheHeap() {
        for (AddressFault fault : AddressFault.values()) {
            InvalidAddressException e = Errors.invalidAddress("usableSize", 0x40L, -(fault.ordinal() + 1L));

            assertThat(e.reason().name()).isEqualTo(fault.name());
            assertThat(e.address()).isEqualTo(0x40L);
        }
    }

    @Test
    void shouldSayWhichLimitWasReached() {
        HeapExhaustedException memory = new HeapExhaustedException(HeapExhaustedException.Kind.MEMORY_LIMIT,
                1 << 20, "memory limit", null);
        HeapExhaustedException reservation = new HeapExhaustedException(
                HeapExhaustedException.Kind.RESERVATION_LIMIT, 1 << 30, "reservation limit", null);

        TinyAllocOutOfMemoryError memoryError = Errors.outOfMemory("malloc", 1000, memory, 4 << 20, 4 << 20);
        TinyAllocOutOfMemoryError reservationError = Errors.outOfMemory("malloc", 1000, reservation, 8 << 20,
                7 << 20);

        assertThat(memoryError.kind()).isEqualTo(TinyAllocOutOfMemoryError.Kind.MEMORY_LIMIT);
        assertThat(memoryError.requestedBytes()).isEqualTo(1 << 20);
        assertThat(memoryError).hasMessage("malloc(1000 bytes): out of memory: the memory limit maxMemory=4194304 "
                + "bytes is reached (committed=4194304 bytes, needed 1048576 more)").hasCause(memory);
        assertThat(reservationError.kind()).isEqualTo(TinyAllocOutOfMemoryError.Kind.RESERVATION_LIMIT);
        assertThat(reservationError).hasMessage("malloc(1000 bytes): out of memory: the address-space limit "
                + "maxReservation=8388608 bytes is reached (reserved=7340032 bytes, needed 1073741824 more)");
    }

    @Test
    void shouldSayWhatTheKernelRefusedWithItsErrno() {
        MapException refusal = new MapException(MapOperation.COMMIT, 0x7000_0000L, 1 << 20, Errno.ENOMEM);
        HeapExhaustedException kernel = new HeapExhaustedException(HeapExhaustedException.Kind.KERNEL, 1 << 20,
                "kernel", refusal);

        TinyAllocOutOfMemoryError error = Errors.outOfMemory("calloc", 5000, kernel, 0, 0);

        assertThat(error.kind()).isEqualTo(TinyAllocOutOfMemoryError.Kind.KERNEL);
        assertThat(error).isInstanceOf(OutOfMemoryError.class).hasMessage("calloc(5000 bytes): out of memory: the "
                + "kernel refused to commit 1048576 bytes: errno=ENOMEM (out of memory or address space)")
                .hasRootCause(refusal);
    }
}
