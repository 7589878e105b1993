package io.tinyalloc.bench.peers;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.NoSuchElementException;

/**
 * Method handles for the four functions of a C malloc family found in a {@link SymbolLookup}.
 *
 * <p>Pointers and {@code size_t} travel as {@code long} (identical registers on the 64-bit ABIs
 * this runs on), which keeps {@code MemorySegment} wrappers off the measured path. The handles are
 * plain downcalls, without {@code Linker.Option.critical}: that is what a Java program calling
 * malloc through FFM pays, and malloc may block (locks, mmap). Each peer keeps the handles in a
 * {@code static final} {@link LibcStyleAllocator.Functions} so the JIT sees constants and inlines
 * the downcall stub.
 */
final class Downcalls {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final FunctionDescriptor LONG_OF_LONG =
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);
    private static final FunctionDescriptor VOID_OF_LONG = FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG);
    private static final FunctionDescriptor LONG_OF_LONG_LONG =
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);

    private Downcalls() {
    }

    /** {@code void* malloc(size_t)} as {@code (long)long}. */
    @SuppressWarnings("restricted")
    static MethodHandle malloc(SymbolLookup lookup, String symbol) {
        return LINKER.downcallHandle(find(lookup, symbol), LONG_OF_LONG);
    }

    /** {@code void free(void*)} as {@code (long)void}. */
    @SuppressWarnings("restricted")
    static MethodHandle free(SymbolLookup lookup, String symbol) {
        return LINKER.downcallHandle(find(lookup, symbol), VOID_OF_LONG);
    }

    /** {@code realloc(void*, size_t)} and {@code calloc(size_t, size_t)} as {@code (long,long)long}. */
    @SuppressWarnings("restricted")
    static MethodHandle twoArguments(SymbolLookup lookup, String symbol) {
        return LINKER.downcallHandle(find(lookup, symbol), LONG_OF_LONG_LONG);
    }

    static SymbolLookup systemLibrary() {
        return LINKER.defaultLookup();
    }

    private static MemorySegment find(SymbolLookup lookup, String symbol) {
        return lookup.find(symbol).orElseThrow(() -> new NoSuchElementException("symbol not found: " + symbol));
    }
}
