package io.tinyalloc.examples;

import io.tinyalloc.Allocator;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * An {@link Arena} backed by TinyAlloc, used where FFM code expects an arena: here to pass a
 * C string to {@code strlen}. Closing the arena frees everything it allocated; its segments are
 * then inaccessible, exactly as with {@link Arena#ofShared()}.
 */
public final class ArenaExample {

    private ArenaExample() {
    }

    @SuppressWarnings("restricted") // a downcall: run with --enable-native-access
    public static void main(String[] args) throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle strlen = linker.downcallHandle(linker.defaultLookup().findOrThrow("strlen"),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));

        MemorySegment escaped;
        try (Arena arena = Allocator.global().newArena()) {
            MemorySegment text = arena.allocateFrom("sixteen bytes!!!");
            long length = (long) strlen.invokeExact(text);
            System.out.println("strlen = " + length);

            MemorySegment numbers = arena.allocateFrom(ValueLayout.JAVA_INT, 1, 2, 3, 4);
            System.out.println("third number = " + numbers.getAtIndex(ValueLayout.JAVA_INT, 2));
            escaped = numbers;
        }
        try {
            escaped.getAtIndex(ValueLayout.JAVA_INT, 0);
        } catch (IllegalStateException e) {
            System.out.println("after close: " + e.getMessage());
        }
    }
}
