package io.tinyalloc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Runs every example, as the README quotes them, and checks what they print. */
class ExamplesTest {

    @FunctionalInterface
    interface Main {
        void run(String[] args) throws Throwable;
    }

    @Test
    void shouldRunTheStandaloneExample() throws Throwable {
        assertThat(output(StandaloneAllocatorExample::main)).contains("after realloc, element 9 = 81")
                .contains("live blocks: 1").contains("second free rejected: DOUBLE_FREE");
    }

    @Test
    void shouldRunTheGlobalExample() throws Throwable {
        assertThat(output(GlobalAllocatorExample::main)).contains("count of 'l': 3")
                .contains("segment holds: a C string from the global allocator");
    }

    @Test
    void shouldRunTheAlignedExample() throws Throwable {
        assertThat(output(AlignedAllocationExample::main)).contains("cache-line aligned: true")
                .contains("page aligned: true").contains("32-byte aligned vector of 64 bytes: true")
                .contains("2 MiB aligned: true");
    }

    @Test
    void shouldRunTheArenaExample() throws Throwable {
        assertThat(output(ArenaExample::main)).contains("strlen = 16").contains("third number = 3")
                .contains("after close: Already closed");
    }

    private static synchronized String output(Main main) throws Throwable {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            main.run(new String[0]);
        } finally {
            System.setOut(original);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        original.print(text);
        return text;
    }
}
