package io.tinyalloc.sys;

/** The Linux errno values the mapper can meet, with their names (for messages). */
public final class Errno {

    public static final int EPERM = 1;
    public static final int EINTR = 4;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int ENFILE = 23;
    public static final int EMFILE = 24;
    public static final int ENOSYS = 38;
    public static final int EOVERFLOW = 75;

    private Errno() {
    }

    /** The symbolic name, or {@code "errno N"} for a value not listed here. */
    public static String name(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM";
            case EINTR -> "EINTR";
            case EAGAIN -> "EAGAIN";
            case ENOMEM -> "ENOMEM";
            case EACCES -> "EACCES";
            case EFAULT -> "EFAULT";
            case EBUSY -> "EBUSY";
            case EEXIST -> "EEXIST";
            case ENODEV -> "ENODEV";
            case EINVAL -> "EINVAL";
            case ENFILE -> "ENFILE";
            case EMFILE -> "EMFILE";
            case ENOSYS -> "ENOSYS";
            case EOVERFLOW -> "EOVERFLOW";
            default -> "errno " + errno;
        };
    }

    /** A short description of what the errno means for a mapping call. */
    public static String describe(int errno) {
        return switch (errno) {
            case ENOMEM -> "out of memory or address space";
            case EINVAL -> "invalid argument";
            case EFAULT -> "bad address";
            case EACCES, EPERM -> "permission denied";
            case EAGAIN -> "resource temporarily unavailable";
            case ENOSYS -> "not supported by this kernel";
            default -> "system call failed";
        };
    }
}
