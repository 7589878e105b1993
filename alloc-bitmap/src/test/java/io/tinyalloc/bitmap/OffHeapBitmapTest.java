package io.tinyalloc.bitmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinyalloc.sys.Memory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.BitSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OffHeapBitmapTest extends BitmapSpec {

    private final Arena arena = Arena.ofConfined();

    @AfterEach
    void closeArena() {
        arena.close();
    }

    @Override
    Bitmap create(int bitCount) {
        BitmapErrors.checkBitCount(bitCount);
        MemorySegment words = arena.allocate(OffHeapBitmap.byteSizeFor(bitCount), Long.BYTES);
        return new OffHeapBitmap(words.address(), bitCount);
    }

    @Test
    void shouldNeedEightBytesPerStartedWord() {
        assertThat(OffHeapBitmap.byteSizeFor(1)).isEqualTo(8);
        assertThat(OffHeapBitmap.byteSizeFor(64)).isEqualTo(8);
        assertThat(OffHeapBitmap.byteSizeFor(65)).isEqualTo(16);
        assertThat(OffHeapBitmap.byteSizeFor(Integer.MAX_VALUE)).isEqualTo(8L * 33_554_432);
        assertThatThrownBy(() -> OffHeapBitmap.byteSizeFor(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldStoreBitsInTheWordOrderOfBitSet() {
        MemorySegment words = arena.allocate(16, Long.BYTES);
        OffHeapBitmap bitmap = new OffHeapBitmap(words.address(), 100);
        BitSet model = new BitSet();
        for (int index : new int[] {0, 5, 63, 64, 99}) {
            bitmap.set(index);
            model.set(index);
        }

        long[] expected = model.toLongArray();
        assertThat(Memory.getLong(words.address())).isEqualTo(expected[0]);
        assertThat(Memory.getLong(words.address() + 8)).isEqualTo(expected[1]);
        assertThat(bitmap.address()).isEqualTo(words.address());
    }

    @Test
    void shouldSeeBitsWrittenThroughAnEarlierView() {
        MemorySegment words = arena.allocate(16, Long.BYTES);
        new OffHeapBitmap(words.address(), 128).setRange(62, 4);

        OffHeapBitmap again = new OffHeapBitmap(words.address(), 128);

        assertThat(contents(again)).isEqualTo(bitsOf(62, 66));
    }

    @Test
    void shouldKeepTheTailOfTheLastWordZero() {
        MemorySegment words = arena.allocate(16, Long.BYTES);
        OffHeapBitmap bitmap = new OffHeapBitmap(words.address(), 70);

        bitmap.setAll();
        bitmap.setRange(60, 10);

        assertThat(Memory.getLong(words.address() + 8)).isEqualTo(0x3FL);
    }

    @Test
    void shouldRejectAMisalignedOrNullAddress() {
        MemorySegment words = arena.allocate(16, Long.BYTES);

        assertThatThrownBy(() -> new OffHeapBitmap(words.address() + 4, 64))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("address must be non-zero and 8-byte aligned: address=0x"
                        + Long.toHexString(words.address() + 4));
        assertThatThrownBy(() -> new OffHeapBitmap(0, 64)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OffHeapBitmap(words.address(), 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
