package io.tinyalloc.sys;

import java.util.Objects;

/**
 * A reservation owned by one object: the range {@code [address, address + byteSize)} from a
 * {@link Mapper}, with the commit state of each page, released by {@link #close()}.
 *
 * <p>Offsets and sizes are relative to {@link #address()} and must be page multiples; a range
 * outside the region throws {@link IndexOutOfBoundsException}, a misaligned one
 * {@link IllegalArgumentException}, both before the mapper is called.
 *
 * <p>Invariants: {@code committedBytes() == pageSize * (pages committed and not decommitted
 * since)}; a page's bit changes only after the mapper call for it succeeded, so a failed call
 * (a {@link MapException}) leaves the recorded state as it was. {@link #purge} leaves pages
 * committed: they stay readable and writable, only their contents are forfeit. Protection
 * changes do not touch the commit state either.
 *
 * <p>Thread-safe: every operation holds the region's lock, so the recorded state and the
 * kernel's agree. After {@link #close()} every operation that reaches the mapper or the commit
 * state throws {@link IllegalStateException} naming the region; {@code close} again does
 * nothing, and the plain facts ({@link #address()}, {@link #byteSize()}, {@link #mapper()},
 * {@link #contains(long)}, {@link #isClosed()}) stay readable.
 */
public final class Region implements AutoCloseable {

    private final Mapper mapper;
    private final long address;
    private final long byteSize;
    private final long pageSize;
    private final PageBitmap committed;
    private boolean closed;

    private Region(Mapper mapper, long address, long byteSize) {
        this.mapper = mapper;
        this.address = address;
        this.byteSize = byteSize;
        this.pageSize = Platform.pageSize();
        this.committed = new PageBitmap(byteSize / pageSize);
    }

    /**
     * Reserves a new region (nothing committed).
     *
     * @param byteSize a positive multiple of the page size
     * @param byteAlignment a power of two (values below the page size mean the page size)
     */
    public static Region reserve(Mapper mapper, long byteSize, long byteAlignment) {
        Objects.requireNonNull(mapper, "mapper");
        Checks.requirePageMultiple("byteSize", byteSize);
        Checks.requirePowerOfTwo("byteAlignment", byteAlignment);
        long address = mapper.reserve(byteSize, byteAlignment);
        return new Region(mapper, address, byteSize);
    }

    /** The absolute address of the first byte. */
    public long address() {
        return address;
    }

    public long byteSize() {
        return byteSize;
    }

    public Mapper mapper() {
        return mapper;
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /** Makes {@code [offset, offset + byteSize)} readable and writable; committing twice is harmless. */
    public synchronized void commit(long offset, long byteSize) {
        requireOpenPageRange(offset, byteSize);
        mapper.commit(address + offset, byteSize);
        committed.setRange(offset / pageSize, byteSize / pageSize, true);
    }

    /** Gives the memory of the range back at once; it reads as zero and is no longer committed. */
    public synchronized void decommit(long offset, long byteSize) {
        requireOpenPageRange(offset, byteSize);
        mapper.decommit(address + offset, byteSize);
        mapper.protect(address + offset, byteSize, Protection.NONE);
        committed.setRange(offset / pageSize, byteSize / pageSize, false);
    }

    /** Lets the kernel take the memory of the range lazily; the pages stay committed. */
    public synchronized void purge(long offset, long byteSize) {
        requireOpenPageRange(offset, byteSize);
        mapper.purge(address + offset, byteSize);
    }

    public synchronized void protect(long offset, long byteSize, Protection protection) {
        Objects.requireNonNull(protection, "protection");
        requireOpenPageRange(offset, byteSize);
        mapper.protect(address + offset, byteSize, protection);
    }

    /** Asks for (or forbids) transparent huge pages on the range. */
    public synchronized void adviseHugePages(long offset, long byteSize, boolean enable) {
        requireOpenPageRange(offset, byteSize);
        mapper.adviseHugePages(address + offset, byteSize, enable);
    }

    /** Bytes committed and not decommitted since. */
    public synchronized long committedBytes() {
        requireOpen();
        return committed.setCount() * pageSize;
    }

    /** Whether the page holding {@code offset} is committed. */
    public synchronized boolean isCommitted(long offset) {
        requireOpen();
        Checks.requireOffset(offset, byteSize);
        return committed.get(offset / pageSize);
    }

    /** Whether {@code address} lies inside this region (true after close too: it is a range test). */
    public boolean contains(long address) {
        return address - this.address >= 0 && address - this.address < byteSize;
    }

    /**
     * Releases the whole range. Idempotent. If the release fails the region stays open, so the
     * caller can retry or report.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        mapper.release(address, byteSize);
        closed = true;
    }

    @Override
    public String toString() {
        return "Region[address=0x" + Long.toHexString(address) + " byteSize=" + byteSize
                + (closed ? " closed" : "") + "]";
    }

    private void requireOpenPageRange(long offset, long byteSize) {
        requireOpen();
        Checks.requirePageSubRange(offset, byteSize, this.byteSize);
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("region is closed: " + this);
        }
    }
}
