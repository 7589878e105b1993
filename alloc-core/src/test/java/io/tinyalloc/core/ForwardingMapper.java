package io.tinyalloc.core;

import io.tinyalloc.sys.Mapper;
import io.tinyalloc.sys.Protection;

/** A {@link Mapper} for tests that passes every call to {@code delegate}; subclasses override what they change. */
abstract class ForwardingMapper implements Mapper {

    final Mapper delegate;

    ForwardingMapper(Mapper delegate) {
        this.delegate = delegate;
    }

    @Override
    public long reserve(long byteSize, long byteAlignment) {
        return delegate.reserve(byteSize, byteAlignment);
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
