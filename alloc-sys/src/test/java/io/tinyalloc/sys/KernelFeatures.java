package io.tinyalloc.sys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the kernel of the machine running the tests offers, for tests that need a feature a Linux
 * kernel may lack: such a test skips (JUnit assumption) with the reason instead of failing there.
 * The CI machine is not the development machine: its kernel may be built without transparent huge
 * pages, be too old for some smaps fields, or run the tests under an address-space limit.
 */
final class KernelFeatures {

    /** Probed once: the answer does not change while the process runs. */
    private static final boolean HUGE_PAGE_ADVICE = probeHugePageAdvice();

    private KernelFeatures() {
    }

    /**
     * Whether {@code madvise(MADV_HUGEPAGE / MADV_NOHUGEPAGE)} works: a kernel built without
     * transparent huge pages refuses both with EINVAL (whatever {@code enabled} says, where the
     * sysfs file exists at all). With THP {@code never} the advice is still accepted and recorded.
     */
    static boolean hugePageAdvice() {
        return HUGE_PAGE_ADVICE;
    }

    /** Whether {@code /proc/self/smaps} has the {@code LazyFree} field (Linux 4.12 and later). */
    static boolean lazyFreeReported() {
        return read("/proc/self/smaps").stream().anyMatch(line -> line.startsWith("LazyFree:"));
    }

    /**
     * Whether this process may still map {@code byteSize} more bytes of address space:
     * {@code ulimit -v} (RLIMIT_AS, "Max address space" in {@code /proc/self/limits}) minus what
     * is mapped now ({@code VmSize}). Unlimited on most machines.
     */
    static boolean addressSpaceFor(long byteSize) {
        long limit = addressSpaceLimitBytes();
        return limit == Long.MAX_VALUE || limit - ProcSelf.mappedBytes() > byteSize;
    }

    private static long addressSpaceLimitBytes() {
        for (String line : read("/proc/self/limits")) {
            if (line.startsWith("Max address space")) {
                String soft = line.substring("Max address space".length()).trim().split("\\s+")[0];
                return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
            }
        }
        return Long.MAX_VALUE;
    }

    private static boolean probeHugePageAdvice() {
        Mapper mapper = Mapper.system();
        long pageSize = Platform.pageSize();
        long address = mapper.reserve(pageSize, pageSize);
        try {
            mapper.adviseHugePages(address, pageSize, true);
            mapper.adviseHugePages(address, pageSize, false);
            return true;
        } catch (MapException e) {
            if (e.errno() != Errno.EINVAL) {
                throw e;
            }
            return false;
        } finally {
            mapper.release(address, pageSize);
        }
    }

    private static List<String> read(String file) {
        try {
            return Files.readAllLines(Path.of(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
