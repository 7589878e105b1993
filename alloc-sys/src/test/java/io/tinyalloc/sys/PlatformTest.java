package io.tinyalloc.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PlatformTest {

    @Test
    void shouldReportAPowerOfTwoPageSizeTheMapperAgreesWith() {
        long pageSize = Platform.pageSize();
        assertThat(pageSize).isGreaterThanOrEqualTo(4096);
        assertThat(Long.bitCount(pageSize)).isOne();
        long address = Mapper.system().reserve(pageSize, pageSize);
        Mapper.system().release(address, pageSize);
        assertThatThrownBy(() -> Mapper.system().reserve(pageSize / 2, pageSize))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldReportTheKernelPageSizeOfAMapping() {
        long address = Mapper.system().reserve(Platform.pageSize(), 1);
        try {
            assertThat(ProcSelf.smapsBytes(ProcSelf.smaps(address), "KernelPageSize")).isEqualTo(Platform.pageSize());
        } finally {
            Mapper.system().release(address, Platform.pageSize());
        }
    }

    @Test
    void shouldReportAHugePageSizeThatIsAMultipleOfThePageSize() {
        long hugePageSize = Platform.hugePageSize();
        assertThat(Long.bitCount(hugePageSize)).isOne();
        assertThat(hugePageSize).isGreaterThan(Platform.pageSize());
        assertThat(hugePageSize % Platform.pageSize()).isZero();
    }

    @Test
    void shouldCountAtLeastTheUsableCpus() {
        assertThat(Platform.usableCpuCount()).isPositive();
        assertThat(Platform.cpuCount()).isGreaterThanOrEqualTo(Platform.usableCpuCount());
    }

    @Test
    void shouldReportACurrentCpuBelowTheCpuCountOnEveryThread() throws InterruptedException {
        AtomicReference<Integer> outOfRange = new AtomicReference<>();
        Set<Integer> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Runnable sample = () -> {
            for (int i = 0; i < 10_000; i++) {
                int cpu = Platform.currentCpu();
                seen.add(cpu);
                if (cpu < 0 || cpu >= Platform.cpuCount()) {
                    outOfRange.set(cpu);
                }
            }
        };
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = t % 2 == 0 ? Thread.ofPlatform().start(sample) : Thread.ofVirtual().start(sample);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(outOfRange.get()).isNull();
        assertThat(seen).isNotEmpty();
    }

    @Test
    void shouldReportSaneMemoryFigures() {
        long total = Platform.totalMemory();
        long available = Platform.availableMemory();
        assertThat(total).isGreaterThan(64L << 20);
        assertThat(available).isPositive().isLessThanOrEqualTo(total);
        long memTotal = Long.parseLong(meminfoKiloBytes("MemTotal")) * 1024;
        assertThat(total).isLessThanOrEqualTo(memTotal);
    }

    /**
     * MemAvailable is machine-wide, so another process may free memory meanwhile: three tries. With
     * little room left (a control group whose limit its page cache fills, where the room is usage
     * against limit), touching makes the kernel reclaim instead, and the room does not shrink.
     */
    @Test
    void shouldSeeAvailableMemoryShrinkWhenTouchingMemory() {
        long byteSize = 256L << 20;
        assumeTrue(Platform.availableMemory() > 4 * byteSize,
                "available memory " + Platform.availableMemory() + " bytes leaves no room to see 256 MiB go");
        long largestDrop = 0;
        for (int attempt = 0; attempt < 3 && largestDrop <= byteSize / 2; attempt++) {
            largestDrop = Math.max(largestDrop, availableMemoryDropWhenTouching(byteSize));
        }
        assertThat(largestDrop).isGreaterThan(byteSize / 2);
    }

    private static long availableMemoryDropWhenTouching(long byteSize) {
        long address = Mapper.system().reserve(byteSize, 1);
        try {
            Mapper.system().commit(address, byteSize);
            long before = Platform.availableMemory();
            for (long offset = 0; offset < byteSize; offset += Platform.pageSize()) {
                Memory.putByte(address + offset, (byte) 1);
            }
            return before - Platform.availableMemory();
        } finally {
            Mapper.system().release(address, byteSize);
        }
    }

    @Test
    void shouldFillRandomBytesOfAnyLength() {
        for (int length : new int[] {0, 1, 7, 256, 70_000, 300_000}) {
            byte[] first = new byte[length];
            byte[] second = new byte[length];
            Platform.randomBytes(first);
            Platform.randomBytes(second);
            if (length >= 7) {
                assertThat(first).isNotEqualTo(second);
                assertThat(first).isNotEqualTo(new byte[length]);
            }
            if (length >= 70_000) {
                assertThat(zeroBytesIn(first)).as("about 1 in 256 bytes is zero").isBetween(length / 512, length / 128);
            }
        }
    }

    @Test
    void shouldDrawDistinctRandomLongs() {
        Set<Long> drawn = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            drawn.add(Platform.randomLong());
        }
        assertThat(drawn).hasSize(1000);
        assertThat(drawn.stream().mapToLong(Long::bitCount).average().orElseThrow()).isBetween(30.0, 34.0);
    }

    @Test
    void shouldRejectANullRandomBuffer() {
        assertThatThrownBy(() -> Platform.randomBytes(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("bytes");
    }

    private static int zeroBytesIn(byte[] bytes) {
        int zeros = 0;
        for (byte b : bytes) {
            zeros += b == 0 ? 1 : 0;
        }
        return zeros;
    }

    private static String meminfoKiloBytes(String key) {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/meminfo"))) {
                if (line.startsWith(key + ":")) {
                    return line.substring(key.length() + 1).trim().split("\\s+")[0];
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new IllegalStateException("no " + key);
    }
}
