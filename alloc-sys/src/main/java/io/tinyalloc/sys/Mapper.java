package io.tinyalloc.sys;

/**
 * Virtual memory from the kernel: reserve address space, commit and decommit pages, change
 * protection, resize mappings, give them back.
 *
 * <p>All addresses and sizes are in bytes. {@code address} and {@code byteSize} of every call but
 * {@link #reserve} must be multiples of {@link Platform#pageSize()}; a range must lie inside a
 * reservation made by the same mapper. Arguments that break these rules throw
 * {@link IllegalArgumentException} naming the values, before any system call. A system call that
 * fails throws {@link MapException} with the operation, address, size and errno.
 *
 * <p>Implementations are thread-safe: the kernel serializes what needs serializing.
 */
public interface Mapper {

    /** The mapper of this process's kernel (Linux: {@code mmap} and friends through FFM). */
    static Mapper system() {
        return PosixMapper.INSTANCE;
    }

    /**
     * Reserves {@code byteSize} bytes of address space, aligned to {@code byteAlignment}, with no
     * access rights and no memory behind it ({@code PROT_NONE}, {@code MAP_NORESERVE}).
     *
     * @param byteSize a positive multiple of the page size
     * @param byteAlignment a power of two; values below the page size mean the page size
     * @return the address of the reservation
     */
    long reserve(long byteSize, long byteAlignment);

    /**
     * Makes a reserved range readable and writable. Pages get memory on first touch and read as
     * zero until written.
     */
    void commit(long address, long byteSize);

    /**
     * Returns the memory behind a committed range to the kernel at once ({@code MADV_DONTNEED}):
     * RSS drops now, the range stays readable and writable and reads as zero.
     */
    void decommit(long address, long byteSize);

    /**
     * Lets the kernel take the memory behind a committed range when it needs it
     * ({@code MADV_FREE}): cheaper than {@link #decommit}, but RSS drops only under pressure and
     * the contents are undefined until rewritten. Falls back to {@link #decommit} where the kernel
     * has no {@code MADV_FREE}.
     */
    void purge(long address, long byteSize);

    /** Changes the access rights of a range ({@code mprotect}). */
    void protect(long address, long byteSize, Protection protection);

    /**
     * Resizes a mapping ({@code mremap}), keeping its contents. With {@code mayMove} false the
     * mapping must grow or shrink where it is, else {@link MapException} (errno {@code ENOMEM});
     * with {@code mayMove} true the kernel may move it (the pages move, they are not copied).
     * The old range must be one mapping with one protection throughout (on Linux a range that
     * spans a committed and an uncommitted part fails with {@code EFAULT}); commit all of it, or
     * none, before remapping. Growth gets the protection of the old range.
     *
     * @return the address of the mapping after the call
     */
    long remap(long address, long oldByteSize, long newByteSize, boolean mayMove);

    /**
     * Moves a mapping to {@code newAddress} with a new size ({@code mremap} with
     * {@code MREMAP_MAYMOVE | MREMAP_FIXED}): the pages move, they are not copied. Whatever was
     * mapped at {@code [newAddress, newAddress + newByteSize)} (typically a reservation made for
     * this purpose) is replaced. Used to grow a large block into a fresh aligned reservation.
     */
    void remapFixed(long address, long oldByteSize, long newAddress, long newByteSize);

    /** Asks for transparent huge pages on a range ({@code MADV_HUGEPAGE}) or forbids them. */
    void adviseHugePages(long address, long byteSize, boolean enable);

    /** Unmaps a range ({@code munmap}): its address space and memory go back to the kernel. */
    void release(long address, long byteSize);
}
