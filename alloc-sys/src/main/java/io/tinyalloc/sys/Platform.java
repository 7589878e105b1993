package io.tinyalloc.sys;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.Optional;

/**
 * Facts about the machine and the process that the allocator sizes itself by: page sizes, CPUs,
 * memory, and a source of random bytes.
 *
 * <p>Static facts (page sizes, CPU count, total memory) are read once, when this class
 * initializes. {@link #availableMemory()} and {@link #currentCpu()} are read at every call.
 */
public final class Platform {

    private static final int SC_PAGESIZE = 30;
    private static final int SC_NPROCESSORS_CONF = 83;
    private static final int SC_PHYS_PAGES = 85;
    private static final long DEFAULT_PAGE_SIZE = 4096;
    private static final long DEFAULT_HUGE_PAGE_SIZE = 2L << 20;
    private static final int GETRANDOM_CHUNK = 1 << 16;

    /** {@code long sysconf(int name)}. */
    private static final MethodHandle SYSCONF = NativeCalls.downcall("sysconf",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT));
    /**
     * {@code int sched_getcpu(void)}: a vDSO read that neither blocks nor calls back, so the
     * critical (no thread-state transition) linkage is safe and saves most of the call's cost.
     */
    private static final MethodHandle SCHED_GETCPU = NativeCalls.downcall("sched_getcpu",
            FunctionDescriptor.of(JAVA_INT), Linker.Option.critical(false));
    /** {@code ssize_t getrandom(void *buf, size_t length, unsigned int flags)}, glibc 2.25 and later. */
    private static final Optional<MethodHandle> GETRANDOM = NativeCalls.optionalDowncallCapturingErrno(
            "getrandom", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT));

    private static final long PAGE_SIZE = readPageSize();
    private static final long HUGE_PAGE_SIZE = readHugePageSize();
    private static final int CPU_COUNT = readCpuCount();
    private static final long TOTAL_MEMORY = readTotalMemory();

    private Platform() {
    }

    /** The size of a base page ({@code sysconf(_SC_PAGESIZE)}), a power of two. */
    public static long pageSize() {
        return PAGE_SIZE;
    }

    /**
     * The size of a transparent huge page (PMD size), a power of two: from
     * {@code /sys/kernel/mm/transparent_hugepage/hpage_pmd_size}, else {@code Hugepagesize} of
     * {@code /proc/meminfo}, else 2 MiB.
     */
    public static long hugePageSize() {
        return HUGE_PAGE_SIZE;
    }

    /**
     * The number of CPU ids the kernel may report, so {@code 0 <= currentCpu() < cpuCount()}:
     * the configured CPUs, at least {@link #usableCpuCount()}. Size per-CPU structures by this.
     */
    public static int cpuCount() {
        return CPU_COUNT;
    }

    /** The CPUs this JVM may use now (affinity and container quotas): size thread pools by this. */
    public static int usableCpuCount() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * The CPU the calling thread runs on ({@code sched_getcpu}), in {@code [0, cpuCount())}. Only
     * a hint: the thread may move right after. Where the kernel cannot tell, a stable per-thread
     * value in the same range stands in.
     */
    public static int currentCpu() {
        int cpu;
        try {
            cpu = (int) SCHED_GETCPU.invokeExact();
        } catch (Throwable thrown) {
            throw NativeCalls.rethrow("sched_getcpu", thrown);
        }
        if (cpu >= 0 && cpu < CPU_COUNT) {
            return cpu;
        }
        return substituteCpu(cpu);
    }

    /** Physical memory in bytes, or the control group's memory limit if that is smaller. */
    public static long totalMemory() {
        return TOTAL_MEMORY;
    }

    /**
     * Memory in bytes that can be had now without swapping ({@code MemAvailable}), or the room
     * left under the control group's limit if that is smaller. Read at every call, from files
     * kept open and parsed in place (no garbage; tens of microseconds): for pressure decisions,
     * not for hot paths.
     */
    public static long availableMemory() {
        long available = KernelText.SHARED.meminfoBytes(KernelText.MEMINFO, "MemAvailable", -1);
        if (available < 0) {
            available = KernelText.SHARED.meminfoBytes(KernelText.MEMINFO, "MemFree", TOTAL_MEMORY);
        }
        long headroom = CgroupMemory.headroomBytes(KernelText.SHARED);
        return Math.min(Math.min(available, headroom), TOTAL_MEMORY);
    }

    /** Fills {@code bytes} from the kernel's CSPRNG ({@code getrandom}); blocks only at early boot. */
    public static void randomBytes(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (GETRANDOM.isEmpty()) {
            SecureRandomHolder.RANDOM.nextBytes(bytes);
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(Math.min(Math.max(bytes.length, 1), GETRANDOM_CHUNK));
            for (int filled = 0; filled < bytes.length; ) {
                int chunk = (int) Math.min(buffer.byteSize(), bytes.length - filled);
                int got = getrandom(buffer, chunk);
                if (got < 0) {
                    SecureRandomHolder.RANDOM.nextBytes(bytes);
                    return;
                }
                MemorySegment.copy(buffer, JAVA_BYTE, 0, bytes, filled, got);
                filled += got;
            }
        }
    }

    /** A random long from {@link #randomBytes}, for keys and seeds. */
    public static long randomLong() {
        byte[] bytes = new byte[Long.BYTES];
        randomBytes(bytes);
        long value = 0;
        for (byte b : bytes) {
            value = (value << 8) | (b & 0xFF);
        }
        return value;
    }

    // ---- reading the facts --------------------------------------------------------------------

    /**
     * One {@code getrandom} call that retries on EINTR. Returns the byte count, or -1 when the
     * kernel has no getrandom (ENOSYS) and the caller should fall back.
     */
    private static int getrandom(MemorySegment buffer, int byteSize) {
        MemorySegment capture = NativeCalls.captureSegment();
        while (true) {
            long got;
            try {
                got = (long) GETRANDOM.orElseThrow().invokeExact(capture, buffer.address(), (long) byteSize, 0);
            } catch (Throwable thrown) {
                throw NativeCalls.rethrow("getrandom", thrown);
            }
            if (got >= 0) {
                return (int) got;
            }
            int errno = NativeCalls.errno(capture);
            if (errno == Errno.ENOSYS) {
                return -1;
            }
            if (errno != Errno.EINTR) {
                throw new IllegalStateException("getrandom failed: byteSize=" + byteSize
                        + " errno=" + Errno.name(errno) + " (" + Errno.describe(errno) + ")");
            }
        }
    }

    private static int substituteCpu(int cpu) {
        if (cpu >= 0) {
            return cpu % CPU_COUNT;
        }
        return (int) Math.floorMod(Thread.currentThread().threadId(), (long) CPU_COUNT);
    }

    private static long sysconf(int name) {
        try {
            return (long) SYSCONF.invokeExact(name);
        } catch (Throwable thrown) {
            throw NativeCalls.rethrow("sysconf", thrown);
        }
    }

    private static long readPageSize() {
        long pageSize = sysconf(SC_PAGESIZE);
        return isPowerOfTwo(pageSize) ? pageSize : DEFAULT_PAGE_SIZE;
    }

    private static long readHugePageSize() {
        long pmd = KernelText.SHARED.firstNumberOnce(Path.of("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size"), 0);
        if (isPowerOfTwo(pmd)) {
            return pmd;
        }
        long hugetlb = KernelText.SHARED.meminfoBytes(KernelText.MEMINFO, "Hugepagesize", 0);
        return isPowerOfTwo(hugetlb) ? hugetlb : DEFAULT_HUGE_PAGE_SIZE;
    }

    private static int readCpuCount() {
        long configured = sysconf(SC_NPROCESSORS_CONF);
        int usable = Runtime.getRuntime().availableProcessors();
        return (int) Math.max(usable, Math.min(configured, Integer.MAX_VALUE));
    }

    private static long readTotalMemory() {
        long physical = KernelText.SHARED.meminfoBytes(KernelText.MEMINFO, "MemTotal", -1);
        if (physical < 0) {
            physical = sysconf(SC_PHYS_PAGES) * PAGE_SIZE;
        }
        return Math.min(physical, CgroupMemory.limitBytes().orElse(Long.MAX_VALUE));
    }

    private static boolean isPowerOfTwo(long value) {
        return value > 0 && (value & (value - 1)) == 0;
    }

    /** Only for systems without getrandom; created on first use. */
    private static final class SecureRandomHolder {
        static final SecureRandom RANDOM = new SecureRandom();
    }
}
