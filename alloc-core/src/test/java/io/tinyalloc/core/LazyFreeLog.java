package io.tinyalloc.core;

import io.tinyalloc.sys.MapException;
import io.tinyalloc.sys.MapOperation;
import io.tinyalloc.sys.Mapper;
import java.util.ArrayList;
import java.util.List;

/**
 * Logs every range given back with MADV_FREE ({@link Mapper#purge}) and every later call that
 * takes its pages from the process: a drop (decommit) or an unmap (release) covering it. (A
 * commit does not: the kernel keeps lazily freed pages resident through an mprotect.)
 */
final class LazyFreeLog extends ForwardingMapper {

    private final List<long[]> lazy = new ArrayList<>();
    /** Makes every drop (decommit) fail as if the kernel refused it. */
    volatile boolean refuseDecommit;

    LazyFreeLog() {
        super(Mapper.system());
    }

    @Override
    public void purge(long address, long byteSize) {
        delegate.purge(address, byteSize);
        synchronized (this) {
            lazy.add(new long[] {address, byteSize});
        }
    }

    @Override
    public void decommit(long address, long byteSize) {
        if (refuseDecommit) {
            throw new MapException(MapOperation.DECOMMIT, address, byteSize, 12, "refused by the test");
        }
        delegate.decommit(address, byteSize);
        settle(address, byteSize);
    }

    @Override
    public void release(long address, long byteSize) {
        delegate.release(address, byteSize);
        settle(address, byteSize);
    }

    synchronized long lazyBytes() {
        return lazy.stream().mapToLong(range -> range[1]).sum();
    }

    synchronized List<String> lazyRangesLeft() {
        return lazy.stream().map(range -> "0x" + Long.toHexString(range[0]) + "+" + range[1]).toList();
    }

    /** Forgets the lazily freed ranges inside [address, address + byteSize). */
    private synchronized void settle(long address, long byteSize) {
        lazy.removeIf(range -> range[0] >= address && range[0] + range[1] <= address + byteSize);
    }
}
