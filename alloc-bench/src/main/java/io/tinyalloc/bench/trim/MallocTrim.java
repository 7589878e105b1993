package io.tinyalloc.bench.trim;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/** glibc's {@code int malloc_trim(size_t pad)}: gives free heap memory back to the kernel. */
final class MallocTrim {

    private static final MethodHandle MALLOC_TRIM = link();

    private MallocTrim() {
    }

    @SuppressWarnings("restricted")
    private static MethodHandle link() {
        Linker linker = Linker.nativeLinker();
        return linker.defaultLookup().find("malloc_trim")
                .map(symbol -> linker.downcallHandle(symbol,
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG)))
                .orElse(null);
    }

    /** Calls {@code malloc_trim(0)}; false if this C library has none. */
    static boolean trim() {
        if (MALLOC_TRIM == null) {
            return false;
        }
        try {
            int released = (int) MALLOC_TRIM.invokeExact(0L);
            return released != 0;
        } catch (Throwable thrown) {
            throw new IllegalStateException("malloc_trim failed", thrown);
        }
    }
}
