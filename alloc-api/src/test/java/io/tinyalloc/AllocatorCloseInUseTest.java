package io.tinyalloc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * close() while one of the allocator's segments is inside a native call: the call holds the
 * segment's scope, so close() must refuse, unmap nothing, and leave the allocator open for every
 * call (the heap's fast paths check nothing of the allocator's state), until a later close()
 * succeeds. The native call is a read(2) from an empty pipe, which blocks until the test writes.
 */
class AllocatorCloseInUseTest {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle PIPE = downcall("pipe",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    private static final MethodHandle READ = downcall("read",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle WRITE = downcall("write",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle CLOSE = downcall("close",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    @Test
    void shouldStayOpenWhenCloseMeetsASegmentInANativeCallAndCloseLater() throws Throwable {
        Allocator allocator = TestAllocators.newAllocator();
        long kept = allocator.malloc(48);
        allocator.allocate(16, 16).fill((byte) 0);
        int[] fds = pipe();
        MemorySegment buffer = allocator.allocate(64, 16);
        buffer.fill((byte) 0);
        CountDownLatch reading = new CountDownLatch(1);
        AtomicLong bytesRead = new AtomicLong(-2);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                reading.countDown();
                bytesRead.set((long) READ.invokeExact(fds[0], buffer, 1L));
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        try {
            reading.await();
            awaitBlockedInRead(fds[0]); // where the reader holds the buffer's scope

            assertThatThrownBy(allocator::close).isExactlyInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in use by a native call; nothing was unmapped, close again later");

            // Still open, on the fast paths and the slow ones alike.
            long block = allocator.malloc(16);
            MemorySegment segment = allocator.allocate(32, 16);
            segment.fill((byte) 7);
            allocator.free(segment);
            allocator.free(block);
            assertThat(allocator.usableSize(kept)).isGreaterThanOrEqualTo(48);
            assertThat(allocator.stats().liveCount()).isEqualTo(3);
        } finally {
            write(fds[1], (byte) 0x2A);
            reader.join(TimeUnit.SECONDS.toMillis(10));
            closeFd(fds[0]);
            closeFd(fds[1]);
        }
        assertThat(failure.get()).isNull();
        assertThat(bytesRead.get()).isEqualTo(1);
        assertThat(buffer.get(ValueLayout.JAVA_BYTE, 0)).isEqualTo((byte) 0x2A);

        allocator.close();
        assertThatThrownBy(() -> allocator.malloc(16)).isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("malloc: the allocator is closed");
        assertThatThrownBy(() -> allocator.free(kept)).isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("free(" + TestAllocators.hex(kept) + "): the allocator is closed");
    }

    /**
     * Waits until a thread of this process sits in read(2) on {@code fd}, as
     * {@code /proc/self/task/<tid>/syscall} shows: a fixed sleep is not enough on a loaded machine,
     * where the reader's first downcall (linked on first use) may take longer, and close() would
     * then succeed before the call holds the scope. Where those files cannot tell, a second.
     */
    private static void awaitBlockedInRead(int fd) throws Exception {
        String readNumber = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "0";
            case "aarch64" -> "63";
            default -> null;
        };
        if (readNumber == null || !Files.isReadable(Path.of("/proc/self/syscall"))) {
            Thread.sleep(1000);
            return;
        }
        // Up to 2,000 looks 5 ms apart (at least 10 s).
        boolean blocked = someThreadReads(readNumber, fd);
        for (int look = 0; look < 2_000 && !blocked; look++) {
            Thread.sleep(5);
            blocked = someThreadReads(readNumber, fd);
        }
        assertThat(blocked).as("the reader blocked in read(2) on fd %d", fd).isTrue();
    }

    private static boolean someThreadReads(String readNumber, int fd) throws Exception {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                List<String> lines;
                try {
                    lines = Files.readAllLines(task.resolve("syscall"));
                } catch (java.io.IOException gone) {
                    continue; // the thread ended, or the file is not there
                }
                String[] fields = lines.isEmpty() ? new String[0] : lines.getFirst().split(" ");
                if (fields.length > 1 && fields[0].equals(readNumber) && Long.decode(fields[1]) == fd) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int[] pipe() throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
            assertThat((int) PIPE.invokeExact(fds)).isZero();
            return new int[] {fds.getAtIndex(ValueLayout.JAVA_INT, 0), fds.getAtIndex(ValueLayout.JAVA_INT, 1)};
        }
    }

    private static void write(int fd, byte value) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment one = arena.allocate(1);
            one.set(ValueLayout.JAVA_BYTE, 0, value);
            assertThat((long) WRITE.invokeExact(fd, one, 1L)).isEqualTo(1);
        }
    }

    private static void closeFd(int fd) throws Throwable {
        assertThat((int) CLOSE.invokeExact(fd)).isZero();
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new IllegalStateException("no " + name + " in the C library"));
        return LINKER.downcallHandle(symbol, descriptor);
    }
}
