package io.tinyalloc.sys;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Objects;

/**
 * The Linux {@link Mapper}: {@code mmap}, {@code munmap}, {@code mprotect}, {@code madvise} and
 * {@code mremap} through FFM downcalls that capture errno.
 *
 * <p>A reservation is an anonymous private {@code PROT_NONE} mapping with {@code MAP_NORESERVE}:
 * address space only, no memory and no commit charge until a range is committed (made
 * read-write) and touched. Alignments above the page size are met by reserving
 * {@code byteSize + byteAlignment - pageSize} bytes and unmapping the unaligned head and tail.
 *
 * <p>Invariants: every argument is checked before the first system call, so an
 * {@link IllegalArgumentException} means the kernel saw nothing; a failed call throws
 * {@link MapException} and leaves no mapping of its own behind (a reservation that fails while
 * trimming unmaps the whole over-sized span first).
 *
 * <p>No handle uses {@code Linker.Option.critical}: each of these calls can block on the
 * process's memory-map lock, and a critical call would hold up safepoints meanwhile.
 */
public final class PosixMapper implements Mapper {

    /** The one instance: the mapper has no state of its own. */
    public static final PosixMapper INSTANCE = new PosixMapper();

    // Linux values, the same on x86_64 and aarch64 (asm-generic/mman-common.h, linux/mman.h).
    private static final int PROT_NONE = 0;
    private static final int MAP_PRIVATE = 0x02;
    private static final int MAP_ANONYMOUS = 0x20;
    private static final int MAP_NORESERVE = 0x4000;
    private static final int MADV_DONTNEED = 4;
    private static final int MADV_FREE = 8;
    private static final int MADV_HUGEPAGE = 14;
    private static final int MADV_NOHUGEPAGE = 15;
    private static final int MREMAP_MAYMOVE = 1;
    private static final int MREMAP_FIXED = 2;
    private static final long MAP_FAILED = -1L;
    private static final int RESERVE_FLAGS = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;

    /** {@code void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)}. */
    private static final MethodHandle MMAP = NativeCalls.downcallCapturingErrno("mmap",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    /** {@code int munmap(void *addr, size_t length)}. */
    private static final MethodHandle MUNMAP = NativeCalls.downcallCapturingErrno("munmap",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG));
    /** {@code int mprotect(void *addr, size_t length, int prot)}. */
    private static final MethodHandle MPROTECT = NativeCalls.downcallCapturingErrno("mprotect",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    /** {@code int madvise(void *addr, size_t length, int advice)}. */
    private static final MethodHandle MADVISE = NativeCalls.downcallCapturingErrno("madvise",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    /**
     * {@code void *mremap(void *old, size_t oldSize, size_t newSize, int flags, ... void *newAddress)}:
     * variadic in glibc, so the fifth argument is declared variadic (it matters on x86_64, where a
     * variadic call also reports its vector-register count).
     */
    private static final MethodHandle MREMAP = NativeCalls.downcallCapturingErrno("mremap",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG),
            Linker.Option.firstVariadicArg(4));

    private PosixMapper() {
    }

    @Override
    public long reserve(long byteSize, long byteAlignment) {
        Checks.requirePageMultiple("byteSize", byteSize);
        Checks.requirePowerOfTwo("byteAlignment", byteAlignment);
        long pageSize = Platform.pageSize();
        long alignment = Math.max(byteAlignment, pageSize);
        if (alignment == pageSize) {
            return mapReservation(byteSize, byteSize);
        }
        long spanByteSize = Checks.addWithoutOverflow("byteSize", byteSize,
                "byteAlignment - pageSize", alignment - pageSize);
        long span = mapReservation(spanByteSize, byteSize);
        return trimToAlignment(span, spanByteSize, byteSize, alignment);
    }

    @Override
    public void commit(long address, long byteSize) {
        Checks.requireRange(address, byteSize);
        mprotect(MapOperation.COMMIT, address, byteSize, Protection.READ_WRITE.posixFlags());
    }

    @Override
    public void decommit(long address, long byteSize) {
        Checks.requireRange(address, byteSize);
        int errno = madvise(address, byteSize, MADV_DONTNEED);
        if (errno != 0) {
            throw new MapException(MapOperation.DECOMMIT, address, byteSize, errno);
        }
    }

    @Override
    public void purge(long address, long byteSize) {
        Checks.requireRange(address, byteSize);
        int errno = madvise(address, byteSize, MADV_FREE);
        if (errno == Errno.EINVAL) {
            // Kernels before 4.5 have no MADV_FREE; DONTNEED gives at least as much back.
            errno = madvise(address, byteSize, MADV_DONTNEED);
        }
        if (errno != 0) {
            throw new MapException(MapOperation.PURGE, address, byteSize, errno);
        }
    }

    @Override
    public void protect(long address, long byteSize, Protection protection) {
        Objects.requireNonNull(protection, "protection");
        Checks.requireRange(address, byteSize);
        mprotect(MapOperation.PROTECT, address, byteSize, protection.posixFlags());
    }

    @Override
    public long remap(long address, long oldByteSize, long newByteSize, boolean mayMove) {
        Checks.requireRange(address, oldByteSize);
        Checks.requirePageMultiple("newByteSize", newByteSize);
        return mremap(address, oldByteSize, newByteSize, mayMove ? MREMAP_MAYMOVE : 0, 0L);
    }

    @Override
    public void remapFixed(long address, long oldByteSize, long newAddress, long newByteSize) {
        Checks.requireRange(address, oldByteSize);
        Checks.requirePageAligned("newAddress", newAddress);
        Checks.requirePageMultiple("newByteSize", newByteSize);
        Checks.addWithoutOverflow("newAddress", newAddress, "newByteSize", newByteSize);
        Checks.requireDisjoint(address, oldByteSize, newAddress, newByteSize);
        mremap(address, oldByteSize, newByteSize, MREMAP_MAYMOVE | MREMAP_FIXED, newAddress);
    }

    @Override
    public void adviseHugePages(long address, long byteSize, boolean enable) {
        Checks.requireRange(address, byteSize);
        int errno = madvise(address, byteSize, enable ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
        if (errno != 0) {
            throw new MapException(MapOperation.ADVISE, address, byteSize, errno);
        }
    }

    @Override
    public void release(long address, long byteSize) {
        Checks.requireRange(address, byteSize);
        int errno = munmap(address, byteSize);
        if (errno != 0) {
            throw new MapException(MapOperation.RELEASE, address, byteSize, errno);
        }
    }

    @Override
    public String toString() {
        return "PosixMapper[pageSize=" + Platform.pageSize() + "]";
    }

    // ---- reservation helpers ------------------------------------------------------------------

    /** Maps {@code spanByteSize} bytes of PROT_NONE; a failure reports the size the caller asked for. */
    private static long mapReservation(long spanByteSize, long requestedByteSize) {
        MemorySegment capture = NativeCalls.captureSegment();
        long address;
        try {
            address = (long) MMAP.invokeExact(capture, 0L, spanByteSize, PROT_NONE, RESERVE_FLAGS, -1, 0L);
        } catch (Throwable thrown) {
            throw NativeCalls.rethrow("mmap", thrown);
        }
        if (address == MAP_FAILED) {
            throw new MapException(MapOperation.RESERVE, 0L, requestedByteSize, NativeCalls.errno(capture));
        }
        return address;
    }

    /** Unmaps the head and tail of an over-sized span so that an aligned {@code byteSize} remains. */
    private static long trimToAlignment(long span, long spanByteSize, long byteSize, long alignment) {
        long address = (span + alignment - 1) & -alignment;
        long headByteSize = address - span;
        long tailByteSize = spanByteSize - headByteSize - byteSize;
        long stillOurs = span;
        int errno = headByteSize == 0 ? 0 : munmap(span, headByteSize);
        if (errno == 0) {
            stillOurs = address;
            errno = tailByteSize == 0 ? 0 : munmap(address + byteSize, tailByteSize);
        }
        if (errno != 0) {
            // Trimming a private range can only fail on the map-count limit; leave nothing behind.
            // Once the head is unmapped another thread may have mapped it: only the rest is ours.
            munmap(stillOurs, span + spanByteSize - stillOurs);
            throw new MapException(MapOperation.RESERVE, span, byteSize, errno,
                    Errno.describe(errno) + " while trimming to byteAlignment=" + alignment);
        }
        return address;
    }

    // ---- raw calls: return errno (0 on success) -----------------------------------------------

    private static void mprotect(MapOperation operation, long address, long byteSize, int prot) {
        MemorySegment capture = NativeCalls.captureSegment();
        int result;
        try {
            result = (int) MPROTECT.invokeExact(capture, address, byteSize, prot);
        } catch (Throwable thrown) {
            throw NativeCalls.rethrow("mprotect", thrown);
        }
        if (result != 0) {
            throw new MapException(operation, address, byteSize, NativeCalls.errno(capture));
        }
    }

    private static int madvise(long address, long byteSize, int advice) {
        MemorySegment capture = NativeCalls.captureSegment();
        int result;
        try {
            result = (int) MADVISE.invokeExact(capture, address, byteSize, advice);
        } catch (Throwable thrown) {
            throw NativeCalls.rethrow("madvise", thrown);
        }
        return result == 0 ? 0 : NativeCalls.errno(capture);
    }

    private static int munmap(long address, long byteSize) {
        MemorySegment capture = NativeCalls.captureSegment();
        int result;
        try {
            result = (int) MUNMAP.invokeExact(capture, address, byteSize);
        } catch (Throwable thrown) {
            throw NativeCalls.rethrow("munmap", thrown);
        }
        return result == 0 ? 0 : NativeCalls.errno(capture);
    }

    private static long mremap(long address, long oldByteSize, long newByteSize, int flags, long newAddress) {
        MemorySegment capture = NativeCalls.captureSegment();
        long result;
        try {
            result = (long) MREMAP.invokeExact(capture, address, oldByteSize, newByteSize, flags, newAddress);
        } catch (Throwable thrown) {
            throw NativeCalls.rethrow("mremap", thrown);
        }
        if (result == MAP_FAILED) {
            int errno = NativeCalls.errno(capture);
            throw new MapException(MapOperation.REMAP, address, newByteSize, errno,
                    Errno.describe(errno) + ", oldByteSize=" + oldByteSize);
        }
        return result;
    }
}
