package io.tinyalloc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link Allocator#global()} when the process starts misconfigured: the global allocator is
 * process-wide, so this runs in a child JVM ({@link Child}). The first call initializes the
 * constant holder of {@link GlobalAllocator}; its failure must not poison later calls.
 */
class GlobalAllocatorRetryTest {

    @Test
    void shouldReportABadSettingOnEveryCallAndServeOnceItIsFixed() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-Dtinyalloc.maxMemory=lots", "-cp", System.getProperty("java.class.path"), Child.class.getName()))
                .redirectErrorStream(true).start();
        String output = readAll(child);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();

        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).contains("attempt 1: IllegalStateException", "attempt 2: IllegalStateException",
                "tinyalloc.maxMemory", "lots", "after the fix: served, same instance");
    }

    private static String readAll(Process process) throws IOException {
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** The child: two failing calls, the property fixed, then calls that must be served. */
    public static final class Child {

        public static void main(String[] args) {
            for (int attempt = 1; attempt <= 2; attempt++) {
                try {
                    Allocator.global();
                    System.out.println("attempt " + attempt + ": unexpectedly served");
                    System.exit(1);
                } catch (IllegalStateException expected) {
                    System.out.println("attempt " + attempt + ": IllegalStateException: " + expected.getMessage());
                }
            }
            System.setProperty("tinyalloc.maxMemory", "1g");
            Allocator first = Allocator.global();
            long address = first.malloc(100);
            first.free(address);
            if (Allocator.global() != first) {
                System.out.println("after the fix: a different instance");
                System.exit(1);
            }
            System.out.println("after the fix: served, same instance");
        }
    }
}
