package io.tinyalloc.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Optional;

/**
 * Builds downcall handles into libc and reads the errno they capture.
 *
 * <p>Pointers and {@code size_t} are passed as {@code long}: on the LP64 ABIs this module
 * supports (Linux x86_64 and aarch64) both travel in the same integer registers, and a
 * {@code long} saves the {@link MemorySegment} wrapper an {@code ADDRESS} layout would create
 * for every result.
 *
 * <p>errno is captured into a small segment owned by the calling thread
 * ({@link #captureSegment()}), so concurrent calls never see each other's errno.
 */
final class NativeCalls {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    /** Auto-managed so that a thread's segment goes away with the thread (virtual threads too). */
    private static final ThreadLocal<MemorySegment> CAPTURE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE_LAYOUT));

    private NativeCalls() {
    }

    /** A handle whose first parameter is the capture segment; errno is written there. */
    static MethodHandle downcallCapturingErrno(String name, FunctionDescriptor descriptor,
                                               Linker.Option... options) {
        Linker.Option[] all = new Linker.Option[options.length + 1];
        all[0] = CAPTURE_ERRNO;
        System.arraycopy(options, 0, all, 1, options.length);
        return downcall(name, descriptor, all);
    }

    @SuppressWarnings("restricted") // the module is meant to be granted native access
    static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = LIBC.find(name).orElseThrow(
                () -> new UnsatisfiedLinkError("libc has no function " + name));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    /** Like {@link #downcallCapturingErrno}, empty when libc lacks the function (older glibc). */
    static Optional<MethodHandle> optionalDowncallCapturingErrno(String name, FunctionDescriptor descriptor) {
        if (LIBC.find(name).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(downcallCapturingErrno(name, descriptor));
    }

    /** This thread's capture segment: pass it to a capturing handle, then read {@link #errno}. */
    static MemorySegment captureSegment() {
        return CAPTURE.get();
    }

    static int errno(MemorySegment capture) {
        return (int) ERRNO.get(capture, 0L);
    }

    /**
     * What to throw when {@code invokeExact} throws: a downcall cannot throw checked exceptions,
     * so anything that is not unchecked is a bug in the handle's type.
     */
    static RuntimeException rethrow(String function, Throwable thrown) {
        if (thrown instanceof RuntimeException unchecked) {
            return unchecked;
        }
        if (thrown instanceof Error error) {
            throw error;
        }
        return new IllegalStateException("downcall to " + function + " failed", thrown);
    }
}
