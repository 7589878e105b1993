package io.tinyalloc.core;

import io.tinyalloc.sys.Mapper;
import io.tinyalloc.sys.Protection;

/**
 * A {@link Mapper} for tests that leaves free address space right after every reservation: it
 * reserves {@link #GAP} bytes more and unmaps them again. The kernel places new mappings below
 * existing ones, so the gap usually stays free, which lets tests reach the code that grows a
 * mapping where it lies.
 */
final class GapMapper implements Mapper {

    static final long GAP = 64L << 20;

    private final Mapper delegate = Mapper.system();

    @Override
    public long reserve(long byteSize, long byteAlignment) {
        long address = delegate.reserve(byteSize + GAP, byteAlignment);
        delegate.release(address + byteSize, GAP);
        return address;
    }

    @Override
    public void commit(long address, long byteSize) {
        delegate.commit(address, byteSize);
    }

    @Override
    public void decommit(long address, long byteSize) {
        delegate.decommit(address, byteSize);
    }

    @Override
    public void purge(long address, long byteSize) {
        delegate.purge(address, byteSize);
    }

    @Override
    public void protect(long address, long byteSize, Protection protection) {
        delegate.protect(address, byteSize, protection);
    }

    @Override
    public long remap(long address, long oldByteSize, long newByteSize, boolean mayMove) {
        return delegate.remap(address, oldByteSize, newByteSize, mayMove);
    }

    @Override
    public void remapFixed(long address, long oldByteSize, long newAddress, long newByteSize) {
        delegate.remapFixed(address, oldByteSize, newAddress, newByteSize);
    }

    @Override
    public void adviseHugePages(long address, long byteSize, boolean enable) {
        delegate.adviseHugePages(address, byteSize, enable);
    }

    @Override
    public void release(long address, long byteSize) {
        delegate.release(address, byteSize);
    }
}
