package io.tinyalloc.sys;

/**
 * A {@link Mapper} call that the kernel refused. Carries the operation, the address and size it
 * was asked for and the errno, so that the layers above can tell exhaustion ({@code ENOMEM})
 * from a bug ({@code EINVAL}).
 */
public final class MapException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final MapOperation operation;
    private final long address;
    private final long byteSize;
    private final int errno;

    public MapException(MapOperation operation, long address, long byteSize, int errno) {
        this(operation, address, byteSize, errno, Errno.describe(errno));
    }

    /** For fault injection and callers that know better words for the failure. */
    public MapException(MapOperation operation, long address, long byteSize, int errno, String detail) {
        super(operation.name().toLowerCase(java.util.Locale.ROOT) + " failed: address=0x"
                + Long.toHexString(address) + " byteSize=" + byteSize + " errno="
                + Errno.name(errno) + " (" + detail + ")");
        this.operation = operation;
        this.address = address;
        this.byteSize = byteSize;
        this.errno = errno;
    }

    public MapOperation operation() {
        return operation;
    }

    public long address() {
        return address;
    }

    public long byteSize() {
        return byteSize;
    }

    /** The raw errno value. */
    public int errno() {
        return errno;
    }

    /** The errno's symbolic name, for example {@code "ENOMEM"}. */
    public String errnoName() {
        return Errno.name(errno);
    }

    /** True if the kernel ran out of memory or address space. */
    public boolean isOutOfMemory() {
        return errno == Errno.ENOMEM;
    }
}
