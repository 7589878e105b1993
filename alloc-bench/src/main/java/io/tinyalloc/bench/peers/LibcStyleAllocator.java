package io.tinyalloc.bench.peers;

import io.tinyalloc.bench.NativeAllocator;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * A peer whose malloc family is a C library's, called through FFM downcalls. glibc, mimalloc and
 * jemalloc differ only in where their four functions are found, so the argument checks, the
 * translation of a NULL result into {@link OutOfMemoryError} and the messages live here once; a
 * subclass names the library and nothing else.
 *
 * <p>Why a subclass per library instead of one class holding the handles in instance fields: the
 * benchmarks reach their peer through a non-final field, so instance fields would not be constants
 * to the JIT, and it would call every downcall through the handle's generic invoker instead of
 * inlining the stub. Each subclass keeps its {@link Functions} in a {@code static final} field and
 * returns it from {@link #functions()}; a fork loads one peer, so that call is monomorphic and
 * inlines to the constant, and HotSpot trusts a record's fields as final, so the handles fold too.
 */
abstract sealed class LibcStyleAllocator implements NativeAllocator
        permits GlibcAllocator, MimallocAllocator, JemallocAllocator {

    /**
     * One library's malloc family as downcall handles (their types are in {@link Downcalls}).
     *
     * @param peerName the peer's name in parameters, reports and error messages
     */
    record Functions(String peerName, MethodHandle malloc, MethodHandle free, MethodHandle realloc,
                     MethodHandle calloc) {

        /** The functions {@code malloc}, {@code free}, {@code realloc} and {@code calloc} of {@code library}, each name behind {@code symbolPrefix}. */
        static Functions find(String peerName, SymbolLookup library, String symbolPrefix) {
            return new Functions(peerName,
                    Downcalls.malloc(library, symbolPrefix + "malloc"),
                    Downcalls.free(library, symbolPrefix + "free"),
                    Downcalls.twoArguments(library, symbolPrefix + "realloc"),
                    Downcalls.twoArguments(library, symbolPrefix + "calloc"));
        }
    }

    /** The subclass's {@code static final} functions (see the class comment for why static). */
    abstract Functions functions();

    @Override
    public final long malloc(long byteSize) {
        if (byteSize < 0) {
            throw PeerErrors.negativeSize(name(), "malloc", byteSize);
        }
        long address;
        try {
            address = (long) functions().malloc().invokeExact(byteSize);
        } catch (Throwable t) {
            throw PeerErrors.downcallFailed(name(), t);
        }
        if (address == 0) {
            throw PeerErrors.outOfMemory(name(), "malloc", byteSize);
        }
        return address;
    }

    @Override
    public final void free(long address) {
        try {
            functions().free().invokeExact(address);
        } catch (Throwable t) {
            throw PeerErrors.downcallFailed(name(), t);
        }
    }

    @Override
    public final long realloc(long address, long newByteSize) {
        if (newByteSize < 0) {
            throw PeerErrors.negativeSize(name(), "realloc", newByteSize);
        }
        long newAddress;
        try {
            newAddress = (long) functions().realloc().invokeExact(address, newByteSize);
        } catch (Throwable t) {
            throw PeerErrors.downcallFailed(name(), t);
        }
        // realloc(p, 0) may free p and return NULL: only a NULL for a real size is a failure.
        if (newAddress == 0 && newByteSize != 0) {
            throw PeerErrors.outOfMemory(name(), "realloc", newByteSize);
        }
        return newAddress;
    }

    @Override
    public final long calloc(long count, long byteSize) {
        if (count < 0 || byteSize < 0) {
            throw PeerErrors.negativeCalloc(name(), count, byteSize);
        }
        long address;
        try {
            address = (long) functions().calloc().invokeExact(count, byteSize);
        } catch (Throwable t) {
            throw PeerErrors.downcallFailed(name(), t);
        }
        if (address == 0) {
            throw PeerErrors.callocOutOfMemory(name(), count, byteSize);
        }
        return address;
    }

    @Override
    public final String name() {
        return functions().peerName();
    }
}
