package io.tinyalloc.sys;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelTextTest {

    private static final String MEMINFO = """
            MemTotal:       24567890 kB
            MemFree:         1234567 kB
            MemAvailable:   20000000 kB
            MemAvailableSoon: 7 kB
            HugePages_Total:       0
            Hugepagesize:       2048 kB
            """;

    @TempDir
    Path directory;

    private final KernelText text = new KernelText();

    @AfterEach
    void close() {
        text.close();
    }

    @Test
    void shouldReadMeminfoEntriesInBytesByExactKey() throws IOException {
        Path meminfo = write("meminfo", MEMINFO);

        assertThat(text.meminfoBytes(meminfo, "MemAvailable", -1)).isEqualTo(20_000_000L * 1024);
        assertThat(text.meminfoBytes(meminfo, "MemTotal", -1)).isEqualTo(24_567_890L * 1024);
        assertThat(text.meminfoBytes(meminfo, "Hugepagesize", -1)).isEqualTo(2048L * 1024);
        assertThat(text.meminfoBytes(meminfo, "HugePages_Total", -1)).as("no unit: bytes").isZero();
        assertThat(text.meminfoBytes(meminfo, "MemAvail", -1)).as("a prefix is not a key").isEqualTo(-1);
        assertThat(text.meminfoBytes(meminfo, "Cached", -7)).isEqualTo(-7);
        assertThat(text.openFileCount()).isEqualTo(1);
    }

    @Test
    void shouldReadTheFileAfreshAtEveryCall() throws IOException {
        Path usage = write("memory.current", "4096\n");
        assertThat(text.firstNumber(usage, -1)).isEqualTo(4096);

        Files.writeString(usage, "123456789012\n");
        assertThat(text.firstNumber(usage, -1)).isEqualTo(123_456_789_012L);
        Files.writeString(usage, "7\n");
        assertThat(text.firstNumber(usage, -1)).as("shorter than before: nothing stale").isEqualTo(7);
        assertThat(text.openFileCount()).isEqualTo(1);
    }

    @Test
    void shouldReportAbsentForMissingFilesAndForTextThatIsNoNumber() throws IOException {
        assertThat(text.firstNumber(directory.resolve("missing"), -3)).isEqualTo(-3);
        assertThat(text.firstNumber(write("memory.max", "max\n"), Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(text.firstNumber(write("empty", ""), -4)).isEqualTo(-4);
        assertThat(text.firstNumber(write("huge", "99999999999999999999\n"), -5)).as("overflow").isEqualTo(-5);
        assertThat(text.firstNumber(write("blanks", "  \t42 bytes\n"), -6)).isEqualTo(42);
        assertThat(text.meminfoBytes(directory.resolve("missing"), "MemFree", -8)).isEqualTo(-8);
        assertThat(text.openFileCount()).as("missing files are not held").isEqualTo(4);
    }

    @Test
    void shouldCloseAFileReadOnce() throws IOException {
        Path size = write("hpage_pmd_size", "2097152\n");
        assertThat(text.firstNumberOnce(size, 0)).isEqualTo(2_097_152);
        assertThat(text.openFileCount()).isZero();
        assertThat(text.firstNumberOnce(directory.resolve("missing"), 9)).isEqualTo(9);
    }

    @Test
    void shouldReadWhatALineReaderReadsFromTheRealMeminfo() throws IOException {
        String line = Files.readAllLines(KernelText.MEMINFO).stream().filter(l -> l.startsWith("MemTotal:"))
                .findFirst().orElseThrow();
        long viaLines = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        assertThat(text.meminfoBytes(KernelText.MEMINFO, "MemTotal", -1)).isEqualTo(viaLines);
        assertThat(Platform.availableMemory()).isPositive().isLessThanOrEqualTo(Platform.totalMemory());
    }

    @Test
    void shouldPollAvailableMemoryWithoutGarbage() throws ReflectiveOperationException {
        for (int i = 0; i < 200; i++) {
            Platform.availableMemory();
        }
        long before = allocatedBytes();
        for (int i = 0; i < 1000; i++) {
            Platform.availableMemory();
        }
        long allocated = allocatedBytes() - before;

        // Files.readAllLines cost about 107 KB per call here.
        assertThat(allocated / 1000).as("bytes per call").isLessThan(64);
    }

    /**
     * This thread's allocated bytes, through reflection: the test sources are compiled into the
     * module io.tinyalloc.sys, which does not read java.management (the tests run on the class path).
     */
    private static long allocatedBytes() throws ReflectiveOperationException {
        Object threads = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean")
                .invoke(null);
        return (long) Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes")
                .invoke(threads);
    }

    private Path write(String name, String content) throws IOException {
        Path file = directory.resolve(name);
        Files.writeString(file, content);
        return file;
    }
}
