package io.tinyalloc;

import io.tinyalloc.core.AddressFault;
import io.tinyalloc.core.Heap;
import io.tinyalloc.core.HeapExhaustedException;
import io.tinyalloc.sys.Errno;
import io.tinyalloc.sys.MapException;
import java.lang.foreign.MemorySegment;
import java.util.Locale;

/**
 * Every exception the API throws is built here, so that messages read the same everywhere: the
 * call first, then the values involved, then what is wrong with them, for example
 * {@code "calloc: count=4611686018427387904 * byteSize=4 overflows a long"} or
 * {@code "free(0x7f3a12345678): a second free of the same block"}.
 *
 * <p>Only error paths come here, so string building costs nothing on the hot path.
 */
final class Errors {

    private Errors() {
    }

    // ---- bad arguments -------------------------------------------------------------------------

    static IllegalArgumentException negative(String call, String name, long value) {
        return new IllegalArgumentException(call + ": " + name + "=" + value + " is negative");
    }

    static IllegalArgumentException overflow(String call, String countName, long count,
                                             String sizeName, long byteSize) {
        return new IllegalArgumentException(call + ": " + countName + "=" + count + " * " + sizeName
                + "=" + byteSize + " overflows a long");
    }

    static IllegalArgumentException notPowerOfTwo(String call, long byteAlignment) {
        return new IllegalArgumentException(call + ": byteAlignment=" + byteAlignment
                + " is not a power of two");
    }

    static IllegalArgumentException alignmentTooLarge(String call, long byteAlignment, long maximum) {
        return new IllegalArgumentException(call + ": byteAlignment=" + byteAlignment
                + " is larger than the largest supported alignment, " + maximum);
    }

    static IllegalArgumentException oldCountWithoutBlock(long oldCount) {
        return new IllegalArgumentException("recallocArray(0x0): oldCount=" + oldCount
                + " must be 0 when there is no block");
    }

    static IllegalArgumentException oldSizeBeyondBlock(long address, long oldCount, long byteSize,
                                                       long usableByteSize) {
        return new IllegalArgumentException("recallocArray(" + hex(address) + "): oldCount=" + oldCount
                + " * byteSize=" + byteSize + " exceeds the block's usableSize=" + usableByteSize);
    }

    static NullPointerException nullSegment(String call) {
        return new NullPointerException(call + ": segment is null");
    }

    // ---- bad addresses -------------------------------------------------------------------------

    static InvalidAddressException invalidAddress(String call, long address, AddressFault fault) {
        InvalidAddressException.Reason reason = reasonOf(fault);
        return new InvalidAddressException(call + "(" + hex(address) + "): " + describe(reason, call),
                address, reason);
    }

    /** Decodes the negative result of {@code Heap.usableSize}: {@code -(fault.ordinal() + 1)}. */
    static InvalidAddressException invalidAddress(String call, long address, long negativeUsableSize) {
        return invalidAddress(call, address, faultOf(negativeUsableSize));
    }

    static AddressFault faultOf(long negativeUsableSize) {
        return AddressFault.values()[(int) (-negativeUsableSize - 1)];
    }

    static InvalidAddressException nullAddress(String call) {
        return new InvalidAddressException(call + "(0x0): the null address is not a block", 0,
                InvalidAddressException.Reason.NOT_OWNED);
    }

    static InvalidAddressException heapSegment(String call, MemorySegment segment) {
        return new InvalidAddressException(call + "(" + segment + "): a heap segment (backed by a Java "
                + "array) is not a block of this allocator", segment.address(),
                InvalidAddressException.Reason.NOT_OWNED);
    }

    static InvalidAddressException arenaSegment(String call, long address) {
        return new InvalidAddressException(call + "(" + hex(address) + "): "
                + describe(InvalidAddressException.Reason.ARENA_SEGMENT, call), address,
                InvalidAddressException.Reason.ARENA_SEGMENT);
    }

    static InvalidAddressException deadSegment(String call, long address) {
        return new InvalidAddressException(call + "(" + hex(address) + "): "
                + describe(InvalidAddressException.Reason.CLOSED_SCOPE, call), address,
                InvalidAddressException.Reason.CLOSED_SCOPE);
    }

    private static InvalidAddressException.Reason reasonOf(AddressFault fault) {
        return switch (fault) {
            case NOT_OWNED -> InvalidAddressException.Reason.NOT_OWNED;
            case INTERIOR -> InvalidAddressException.Reason.INTERIOR;
            case DOUBLE_FREE -> InvalidAddressException.Reason.DOUBLE_FREE;
            case NOT_ALLOCATED -> InvalidAddressException.Reason.NOT_ALLOCATED;
        };
    }

    private static String describe(InvalidAddressException.Reason reason, String call) {
        return switch (reason) {
            case NOT_OWNED -> "not allocated by this allocator";
            case INTERIOR -> "points inside a block, not at its start";
            case DOUBLE_FREE -> call.equals("free") ? "a second free of the same block"
                    : "the block was already freed";
            case NOT_ALLOCATED -> "no block was ever allocated at this address";
            case ARENA_SEGMENT -> "the segment belongs to an Arena from newArena(); close the arena "
                    + "to free its blocks";
            case CLOSED_SCOPE -> "the segment's scope is closed (the arena that owned it has freed its block)";
        };
    }

    // ---- exhaustion ----------------------------------------------------------------------------

    /**
     * @param limitBytes the configured limit of the kind that was reached (unused for KERNEL)
     * @param usedBytes what the allocator held of that kind when it failed (unused for KERNEL)
     */
    static TinyAllocOutOfMemoryError outOfMemory(String call, long requestedByteSize,
                                                 HeapExhaustedException e, long limitBytes,
                                                 long usedBytes) {
        String prefix = call + "(" + requestedByteSize + " bytes): out of memory: ";
        return switch (e.kind()) {
            case MEMORY_LIMIT -> new TinyAllocOutOfMemoryError(prefix + "the memory limit maxMemory="
                    + limitBytes + " bytes is reached (committed=" + usedBytes + " bytes, needed "
                    + e.requestedBytes() + " more)", TinyAllocOutOfMemoryError.Kind.MEMORY_LIMIT,
                    e.requestedBytes(), e);
            case RESERVATION_LIMIT -> e.requestedBytes() > Heap.MAX_BYTE_SIZE
                    ? new TinyAllocOutOfMemoryError(prefix + e.requestedBytes() + " bytes is more than any address "
                    + "space can hold (" + Heap.MAX_BYTE_SIZE + " bytes)", TinyAllocOutOfMemoryError.Kind.RESERVATION_LIMIT,
                    e.requestedBytes(), e)
                    : new TinyAllocOutOfMemoryError(prefix
                    + "the address-space limit maxReservation=" + limitBytes + " bytes is reached (reserved="
                    + usedBytes + " bytes, needed " + e.requestedBytes() + " more)",
                    TinyAllocOutOfMemoryError.Kind.RESERVATION_LIMIT, e.requestedBytes(), e);
            case KERNEL -> new TinyAllocOutOfMemoryError(prefix + kernelRefusal(e),
                    TinyAllocOutOfMemoryError.Kind.KERNEL, e.requestedBytes(), e);
        };
    }

    private static String kernelRefusal(HeapExhaustedException e) {
        if (e.getCause() instanceof MapException m) {
            return "the kernel refused to " + m.operation().name().toLowerCase(Locale.ROOT) + " "
                    + m.byteSize() + " bytes: errno=" + m.errnoName() + " (" + Errno.describe(m.errno()) + ")";
        }
        return "the kernel refused to map " + e.requestedBytes() + " bytes: " + e.getMessage();
    }

    // ---- lifecycle -----------------------------------------------------------------------------

    static IllegalStateException closed(String call) {
        return new IllegalStateException(call + ": the allocator is closed");
    }

    static IllegalStateException closed(String call, long address) {
        return new IllegalStateException(call + "(" + hex(address) + "): the allocator is closed");
    }

    static IllegalStateException arenaClosed() {
        return new IllegalStateException("Arena.allocate: the arena is closed");
    }

    static UnsupportedOperationException globalClose() {
        return new UnsupportedOperationException(
                "close: the global allocator lives as long as the process and cannot be closed");
    }

    static IllegalStateException arenaInUse(IllegalStateException cause) {
        return new IllegalStateException("close: an Arena from newArena() or a segment of this allocator "
                + "is in use by a native call; nothing was unmapped, close again later", cause);
    }

    // ---- configuration -------------------------------------------------------------------------

    static IllegalArgumentException belowMinimum(String setting, long value, long minimum) {
        return new IllegalArgumentException(setting + "=" + value + " is below the minimum " + minimum);
    }

    static IllegalArgumentException aboveMaximum(String setting, long value, long maximum) {
        return new IllegalArgumentException(setting + "=" + value + " is above the maximum " + maximum);
    }

    static IllegalArgumentException notMultiple(String setting, long value, long unit) {
        return new IllegalArgumentException(setting + "=" + value + " is not a multiple of " + unit);
    }

    static IllegalArgumentException badSetting(String name, String source, String text,
                                               IllegalArgumentException problem) {
        return new IllegalArgumentException(name + "=\"" + text + "\" (" + source + "): "
                + problem.getMessage(), problem);
    }

    static IllegalArgumentException notASize(String text) {
        return new IllegalArgumentException("\"" + text + "\" is not a size: expected bytes or a number "
                + "with k, m, g, t, KiB, MiB, GiB or TiB (powers of 1024), e.g. 512m");
    }

    static IllegalArgumentException sizeOverflow(String text) {
        return new IllegalArgumentException("\"" + text + "\" is larger than " + Long.MAX_VALUE + " bytes");
    }

    static IllegalArgumentException notABoolean(String text) {
        return new IllegalArgumentException("\"" + text + "\" is not a boolean: expected true/false, "
                + "yes/no, on/off or 1/0");
    }

    static IllegalStateException badGlobalConfiguration(IllegalArgumentException problem, String sources) {
        return new IllegalStateException("the global TinyAlloc allocator is misconfigured: "
                + problem.getMessage() + sources, problem);
    }

    static String hex(long address) {
        return "0x" + Long.toHexString(address);
    }
}
