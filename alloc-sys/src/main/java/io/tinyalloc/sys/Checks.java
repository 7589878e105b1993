package io.tinyalloc.sys;

/**
 * Argument checks of this package, and the exceptions they throw, in one place. Every message
 * names the values it rejects.
 */
final class Checks {

    private Checks() {
    }

    /** A positive multiple of the page size. */
    static void requirePageMultiple(String name, long byteSize) {
        long pageSize = Platform.pageSize();
        if (byteSize <= 0 || (byteSize & (pageSize - 1)) != 0) {
            throw new IllegalArgumentException(name + " must be a positive multiple of the page size: "
                    + name + "=" + byteSize + " pageSize=" + pageSize);
        }
    }

    /** A positive, page-aligned address. */
    static void requirePageAligned(String name, long address) {
        long pageSize = Platform.pageSize();
        if (address <= 0 || (address & (pageSize - 1)) != 0) {
            throw new IllegalArgumentException(name + " must be a positive page-aligned address: "
                    + name + "=0x" + Long.toHexString(address) + " pageSize=" + pageSize);
        }
    }

    /** A page-aligned range {@code [address, address + byteSize)} that does not wrap around. */
    static void requireRange(long address, long byteSize) {
        requirePageAligned("address", address);
        requirePageMultiple("byteSize", byteSize);
        if (address + byteSize < 0) {
            throw new IllegalArgumentException("range overflows the address space: address=0x"
                    + Long.toHexString(address) + " byteSize=" + byteSize);
        }
    }

    static void requirePowerOfTwo(String name, long value) {
        if (value <= 0 || (value & (value - 1)) != 0) {
            throw new IllegalArgumentException(name + " must be a positive power of two: " + name + "=" + value);
        }
    }

    /** Two ranges that must not share a byte (the source and target of a move). */
    static void requireDisjoint(long addressA, long byteSizeA, long addressB, long byteSizeB) {
        if (addressA < addressB + byteSizeB && addressB < addressA + byteSizeA) {
            throw new IllegalArgumentException("ranges overlap: address=0x" + Long.toHexString(addressA)
                    + " byteSize=" + byteSizeA + " newAddress=0x" + Long.toHexString(addressB)
                    + " newByteSize=" + byteSizeB);
        }
    }

    /** {@code a + b}, or an exception naming both when the sum does not fit in a long. */
    static long addWithoutOverflow(String nameA, long a, String nameB, long b) {
        long sum = a + b;
        if (((a ^ sum) & (b ^ sum)) < 0) {
            throw new IllegalArgumentException(nameA + " + " + nameB + " overflows: "
                    + nameA + "=" + a + " " + nameB + "=" + b);
        }
        return sum;
    }

    /** A sub-range {@code [offset, offset + byteSize)} of a region of {@code regionByteSize} bytes. */
    static void requireSubRange(long offset, long byteSize, long regionByteSize) {
        if (offset < 0 || byteSize < 0 || offset > regionByteSize - byteSize) {
            throw new IndexOutOfBoundsException("range outside the region: offset=" + offset
                    + " byteSize=" + byteSize + " regionByteSize=" + regionByteSize);
        }
    }

    /** A page-aligned offset and positive page-multiple size inside a region. */
    static void requirePageSubRange(long offset, long byteSize, long regionByteSize) {
        requireSubRange(offset, byteSize, regionByteSize);
        long pageSize = Platform.pageSize();
        if ((offset & (pageSize - 1)) != 0 || byteSize == 0 || (byteSize & (pageSize - 1)) != 0) {
            throw new IllegalArgumentException("offset and byteSize must be page multiples and byteSize > 0: offset="
                    + offset + " byteSize=" + byteSize + " pageSize=" + pageSize);
        }
    }

    static void requireOffset(long offset, long regionByteSize) {
        if (offset < 0 || offset >= regionByteSize) {
            throw new IndexOutOfBoundsException("offset outside the region: offset=" + offset
                    + " regionByteSize=" + regionByteSize);
        }
    }
}
