package io.tinyalloc.core;

import io.tinyalloc.sys.Mapper;

/**
 * A {@link Mapper} for tests that leaves free address space right after every reservation: it
 * reserves {@link #GAP} bytes more and unmaps them again. The kernel places new mappings below
 * existing ones, so the gap usually stays free, which lets tests reach the code that grows a
 * mapping where it lies.
 */
final class GapMapper extends ForwardingMapper {

    static final long GAP = 64L << 20;

    GapMapper() {
        super(Mapper.system());
    }

    @Override
    public long reserve(long byteSize, long byteAlignment) {
        long address = delegate.reserve(byteSize + GAP, byteAlignment);
        delegate.release(address + byteSize, GAP);
        return address;
    }
}
