package io.tinyalloc.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MemoryTest {

    private static final int BYTE_SIZE = 4096;

    private Arena arena;
    private long base;

    @BeforeEach
    void allocate() {
        arena = Arena.ofShared();
        MemorySegment segment = arena.allocate(BYTE_SIZE, 64);
        base = segment.address();
    }

    @AfterEach
    void free() {
        arena.close();
    }

    @Test
    void shouldReadBackPlainValuesAtEveryAlignment() {
        for (int misalignment = 0; misalignment < 8; misalignment++) {
            long address = base + 128 + misalignment;
            Memory.putByte(address, (byte) -7);
            assertThat(Memory.getByte(address)).isEqualTo((byte) -7);
            Memory.putShort(address, (short) 0x1234);
            assertThat(Memory.getShort(address)).isEqualTo((short) 0x1234);
            Memory.putInt(address, 0xCAFEBABE);
            assertThat(Memory.getInt(address)).isEqualTo(0xCAFEBABE);
            Memory.putLong(address, 0x0123_4567_89AB_CDEFL);
            assertThat(Memory.getLong(address)).isEqualTo(0x0123_4567_89AB_CDEFL);
        }
    }

    @Test
    @SuppressWarnings("restricted")
    void shouldUseNativeByteOrderConsistentlyAcrossWidths() {
        Memory.putLong(base, 0x0807_0605_0403_0201L);
        long expectedLowInt = java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN
                ? 0x0403_0201L : 0x0807_0605L;
        assertThat(Memory.getInt(base) & 0xFFFF_FFFFL).isEqualTo(expectedLowInt);
        assertThat(MemorySegment.ofAddress(base).reinterpret(8).get(java.lang.foreign.ValueLayout.JAVA_LONG, 0))
                .isEqualTo(0x0807_0605_0403_0201L);
    }

    @Test
    void shouldReadAndWriteOrderedLongs() {
        Memory.putLongRelease(base, 1);
        assertThat(Memory.getLongAcquire(base)).isEqualTo(1);
        Memory.putLongVolatile(base + 8, 2);
        assertThat(Memory.getLongVolatile(base + 8)).isEqualTo(2);
        Memory.putLongOpaque(base + 16, 3);
        assertThat(Memory.getLongOpaque(base + 16)).isEqualTo(3);
        assertThat(Memory.getLong(base + 8)).isEqualTo(2);
    }

    @Test
    void shouldCompareAndSetLongOnlyWhenTheExpectedValueIsThere() {
        Memory.putLong(base, 10);
        assertThat(Memory.compareAndSetLong(base, 11, 20)).isFalse();
        assertThat(Memory.getLong(base)).isEqualTo(10);
        assertThat(Memory.compareAndSetLong(base, 10, 20)).isTrue();
        assertThat(Memory.getLong(base)).isEqualTo(20);
    }

    @Test
    void shouldReturnTheWitnessFromCompareAndExchange() {
        Memory.putLong(base, 5);
        assertThat(Memory.compareAndExchangeLong(base, 6, 7)).isEqualTo(5);
        assertThat(Memory.getLong(base)).isEqualTo(5);
        assertThat(Memory.compareAndExchangeLong(base, 5, 7)).isEqualTo(5);
        assertThat(Memory.getLong(base)).isEqualTo(7);
    }

    @Test
    void shouldReturnThePreviousValueFromGetAndOperations() {
        Memory.putLong(base, 100);
        assertThat(Memory.getAndAddLong(base, -30)).isEqualTo(100);
        assertThat(Memory.getAndSetLong(base, 0b1010)).isEqualTo(70);
        assertThat(Memory.getAndBitwiseOrLong(base, 0b0101)).isEqualTo(0b1010);
        assertThat(Memory.getAndBitwiseAndLong(base, 0b0110)).isEqualTo(0b1111);
        assertThat(Memory.getLong(base)).isEqualTo(0b0110);
    }

    @Test
    void shouldOperateAtomicallyOnAlignedInts() {
        Memory.putIntRelease(base + 4, 9);
        assertThat(Memory.getIntAcquire(base + 4)).isEqualTo(9);
        assertThat(Memory.getIntVolatile(base + 4)).isEqualTo(9);
        assertThat(Memory.compareAndSetInt(base + 4, 8, 1)).isFalse();
        assertThat(Memory.compareAndSetInt(base + 4, 9, 1)).isTrue();
        assertThat(Memory.getAndAddInt(base + 4, 41)).isEqualTo(1);
        assertThat(Memory.getInt(base + 4)).isEqualTo(42);
        assertThat(Memory.getInt(base)).as("the neighbouring int").isZero();
    }

    @Test
    void shouldRejectMisalignedAtomicAccess() {
        Memory.putLong(base + 8, 77);
        assertThatThrownBy(() -> Memory.compareAndSetLong(base + 4, 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alignment")
                .hasMessageContaining(String.valueOf(base + 4));
        assertThatThrownBy(() -> Memory.getAndAddLong(base + 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Memory.getAndSetLong(base + 12, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Memory.getLongAcquire(base + 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Memory.putLongRelease(base + 3, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Memory.compareAndSetInt(base + 2, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Memory.getLong(base + 8)).as("unchanged after the rejected calls").isEqualTo(77);
        assertThat(Memory.getLong(base)).isZero();
    }

    @Test
    void shouldAddExactlyUnderContention() throws InterruptedException {
        int threads = 2;
        int increments = 100_000;
        CountDownLatch start = new CountDownLatch(1);
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            workers[t] = new Thread(() -> {
                awaitQuietly(start);
                for (int i = 0; i < increments; i++) {
                    Memory.getAndAddLong(base, 1);
                    long seen;
                    do {
                        seen = Memory.getLongVolatile(base + 8);
                    } while (!Memory.compareAndSetLong(base + 8, seen, seen + 2));
                }
            });
            workers[t].start();
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        assertThat(Memory.getLong(base)).isEqualTo((long) threads * increments);
        assertThat(Memory.getLong(base + 8)).isEqualTo(2L * threads * increments);
    }

    @Test
    void shouldCopyOverlappingRangesLikeMemmove() {
        Random random = new Random(42);
        byte[] model = new byte[BYTE_SIZE];
        random.nextBytes(model);
        MemorySegment.copy(model, 0, Memory.segment(base, BYTE_SIZE), java.lang.foreign.ValueLayout.JAVA_BYTE, 0,
                BYTE_SIZE);

        Memory.copy(base + 100, base + 150, 1000);
        System.arraycopy(model, 100, model, 150, 1000);
        Memory.copy(base + 900, base + 850, 1000);
        System.arraycopy(model, 900, model, 850, 1000);

        assertThat(Memory.segment(base, BYTE_SIZE).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)).isEqualTo(model);
    }

    @Test
    void shouldFillExactlyTheRange() {
        Memory.fill(base, BYTE_SIZE, (byte) 0);
        Memory.fill(base + 3, 61, (byte) 0x5A);
        assertThat(Memory.isFilledWith(base + 3, 61, (byte) 0x5A)).isTrue();
        assertThat(Memory.getByte(base + 2)).isZero();
        assertThat(Memory.getByte(base + 64)).isZero();
        assertThat(Memory.isFilledWith(base + 2, 62, (byte) 0x5A)).isFalse();
        assertThat(Memory.isFilledWith(base + 3, 62, (byte) 0x5A)).isFalse();
        assertThat(Memory.isFilledWith(base, 0, (byte) 1)).as("an empty range").isTrue();
    }

    @Test
    void shouldFillExactlyTheRangeOnBothSidesOfTheWordLoopThreshold() {
        long threshold = Memory.WORD_FILL_MIN_BYTES;
        long[] sizes = {threshold - 1, threshold, threshold + 1, threshold + 7, 3 * threshold + 5, 40_000};
        try (Arena local = Arena.ofConfined()) {
            long region = local.allocate(48 * 1024, 64).address();
            for (long size : sizes) {
                for (int misalignment = 0; misalignment < 8; misalignment += 3) {
                    long start = region + 64 + misalignment;
                    Memory.fill(region, 48 * 1024, (byte) 0x11);
                    Memory.fill(start, size, (byte) 0xA5);
                    assertThat(Memory.isFilledWith(start, size, (byte) 0xA5)).as("size %d at +%d", size, misalignment)
                            .isTrue();
                    assertThat(Memory.isFilledWith(region, start - region, (byte) 0x11)).as("before").isTrue();
                    assertThat(Memory.isFilledWith(start + size, 64, (byte) 0x11)).as("after").isTrue();
                }
            }
        }
    }

    @Test
    void shouldFindTheFirstMismatchOrMinusOne() {
        Memory.fill(base, 256, (byte) 1);
        Memory.fill(base + 256, 256, (byte) 1);
        assertThat(Memory.mismatch(base, base + 256, 256)).isEqualTo(-1);
        Memory.putByte(base + 256 + 77, (byte) 2);
        assertThat(Memory.mismatch(base, base + 256, 256)).isEqualTo(77);
        assertThat(Memory.mismatch(base, base + 256, 77)).isEqualTo(-1);
        assertThat(Memory.mismatch(base, base + 256, 0)).isEqualTo(-1);
    }

    @Test
    void shouldViewARangeAsASegment() {
        Memory.putInt(base + 8, 1234);
        MemorySegment view = Memory.segment(base, 16);
        assertThat(view.byteSize()).isEqualTo(16);
        assertThat(view.address()).isEqualTo(base);
        assertThat(view.get(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, 8)).isEqualTo(1234);
    }

    @Test
    void shouldRejectNegativeByteSizesNamingTheValue() {
        Memory.fill(base, 16, (byte) 3);
        assertThatThrownBy(() -> Memory.copy(base, base + 8, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("byteSize=-1");
        assertThatThrownBy(() -> Memory.fill(base, -5, (byte) 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("byteSize=-5");
        assertThatThrownBy(() -> Memory.mismatch(base, base, -2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("byteSize=-2");
        assertThatThrownBy(() -> Memory.isFilledWith(base, -3, (byte) 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("byteSize=-3");
        assertThatThrownBy(() -> Memory.segment(base, -4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("byteSize=-4");
        assertThat(Memory.isFilledWith(base, 16, (byte) 3)).as("nothing written").isTrue();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
