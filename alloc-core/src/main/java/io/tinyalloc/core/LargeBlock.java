package io.tinyalloc.core;

/**
 * On-heap metadata of one large block: a dedicated reservation whose first
 * {@link #committedByteSize} bytes are the block. Kept off the mapping on purpose: validating an
 * address never reads memory that may have been unmapped.
 *
 * <pre>
 *  address (aligned to byteAlignment >= SEGMENT_SIZE)
 *  |<------ committedByteSize (read-write) ----->|<-- PROT_NONE -->|
 *  |<------------------ reservedByteSize (multiple of SEGMENT_SIZE) --------------->|
 * </pre>
 *
 * Invariants: 0 < committedByteSize <= reservedByteSize; address % byteAlignment == 0;
 * reservedByteSize % SEGMENT_SIZE == 0; every unit of the reservation maps to this block in the
 * page map while it is registered. Guarded by the {@link LargeBlocks} lock while registered; once
 * evicted and queued for release its fields no longer change, and the trim thread reads them.
 */
final class LargeBlock {

    long address;
    long reservedByteSize;
    long committedByteSize;
    final long byteAlignment;
    /** False once freed: the block then waits in the cache, still registered, so a second free is caught. */
    boolean live;
    int registryIndex = -1;
    /** When it was last freed into the cache, by the trim policy's clock ({@link LargeBlocks#observeClock}); meaningful while cached. */
    long cachedSinceNanos;

    LargeBlock(long address, long reservedByteSize, long committedByteSize, long byteAlignment) {
        this.address = address;
        this.reservedByteSize = reservedByteSize;
        this.committedByteSize = committedByteSize;
        this.byteAlignment = byteAlignment;
    }

    long unitCount() {
        return reservedByteSize >>> SegmentLayout.SEGMENT_SHIFT;
    }

    boolean covers(long candidate) {
        return candidate >= address && candidate - address < reservedByteSize;
    }

    /** How {@code candidate}, an address inside the reservation, fails to be this live block; null if it is. */
    AddressFault faultOf(long candidate) {
        if (candidate != address) {
            return candidate - address < committedByteSize ? AddressFault.INTERIOR : AddressFault.NOT_OWNED;
        }
        return live ? null : AddressFault.DOUBLE_FREE;
    }

    boolean check() {
        if (committedByteSize <= 0 || committedByteSize > reservedByteSize || address % byteAlignment != 0
                || (reservedByteSize & SegmentLayout.SEGMENT_MASK) != 0) {
            throw new IllegalStateException("broken large block: " + this);
        }
        return true;
    }

    @Override
    public String toString() {
        return "LargeBlock[address=0x" + Long.toHexString(address) + " reservedByteSize=" + reservedByteSize
                + " committedByteSize=" + committedByteSize + " byteAlignment=" + byteAlignment + " live=" + live
                + " registryIndex=" + registryIndex + "]";
    }
}
