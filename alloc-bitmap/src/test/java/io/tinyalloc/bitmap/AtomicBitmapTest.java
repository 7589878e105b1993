package io.tinyalloc.bitmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinyalloc.sys.Memory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.BitSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Single-threaded behaviour and errors of {@link AtomicBitmap}; concurrency has its own tests. */
class AtomicBitmapTest {

    private final Arena arena = Arena.ofConfined();

    @AfterEach
    void closeArena() {
        arena.close();
    }

    private AtomicBitmap create(int bitCount) {
        return new AtomicBitmap(arena.allocate(AtomicBitmap.byteSizeFor(bitCount), Long.BYTES).address(), bitCount);
    }

    private static BitSet contents(AtomicBitmap bitmap) {
        BitSet bits = new BitSet();
        for (int index = 0; index < bitmap.bitCount(); index++) {
            bits.set(index, bitmap.get(index));
        }
        return bits;
    }

    @Test
    void shouldClaimEveryBitOnceLowestFirstThenReportFull() {
        AtomicBitmap bitmap = create(130);

        for (int expected = 0; expected < 130; expected++) {
            assertThat(bitmap.claim()).isEqualTo(expected);
        }

        assertThat(bitmap.claim()).isEqualTo(-1);
        assertThat(bitmap.cardinality()).isEqualTo(130);
        assertThat(bitmap.findFirstClear()).isEqualTo(-1);
    }

    @Test
    void shouldNeverClaimTheTailBitsOfTheLastWord() {
        AtomicBitmap bitmap = create(70);
        for (int claimed = 0; claimed < 70; claimed++) {
            bitmap.claim();
        }

        assertThat(bitmap.claim()).isEqualTo(-1);
        assertThat(bitmap.claimRun(1)).isEqualTo(-1);
        assertThat(Memory.getLong(bitmap.address() + 8)).isEqualTo(0x3FL);
    }

    @Test
    void shouldReuseAReleasedBit() {
        AtomicBitmap bitmap = create(64);
        for (int claimed = 0; claimed < 10; claimed++) {
            bitmap.claim();
        }

        bitmap.release(4);

        assertThat(bitmap.get(4)).isFalse();
        assertThat(bitmap.findFirstClear()).isEqualTo(4);
        assertThat(bitmap.claim()).isEqualTo(4);
    }

    @Test
    void shouldTryClaimOnlyAClearBit() {
        AtomicBitmap bitmap = create(100);

        assertThat(bitmap.tryClaim(77)).isTrue();
        assertThat(bitmap.tryClaim(77)).isFalse();
        assertThat(bitmap.get(77)).isTrue();
        assertThat(bitmap.cardinality()).isEqualTo(1);
    }

    @Test
    void shouldClaimRunsInsideAWordAndAcrossWords() {
        AtomicBitmap bitmap = create(200);

        assertThat(bitmap.claimRun(60)).isZero();
        assertThat(bitmap.claimRun(10)).isEqualTo(60);
        assertThat(bitmap.claimRun(64)).isEqualTo(70);
        assertThat(bitmap.claimRun(1)).isEqualTo(134);

        BitSet expected = new BitSet();
        expected.set(0, 135);
        assertThat(contents(bitmap)).isEqualTo(expected);
    }

    @Test
    void shouldClaimTheLowestRunThatFitsPastTakenBits() {
        AtomicBitmap bitmap = create(256);
        bitmap.tryClaim(2);
        bitmap.tryClaim(66);
        bitmap.tryClaim(130);

        assertThat(bitmap.claimRun(2)).isZero();
        assertThat(bitmap.claimRun(63)).isEqualTo(3);
        assertThat(bitmap.claimRun(64)).isEqualTo(131);
        assertThat(bitmap.claimRun(63)).isEqualTo(67);
        assertThat(bitmap.claimRun(61)).isEqualTo(195);
        assertThat(bitmap.claimRun(1)).isEqualTo(-1);
        assertThat(bitmap.cardinality()).isEqualTo(256);
    }

    @Test
    void shouldLeaveEverythingAsItWasWhenNoRunFits() {
        AtomicBitmap bitmap = create(128);
        bitmap.tryClaim(40);
        bitmap.tryClaim(110);

        assertThat(bitmap.claimRun(60)).isEqualTo(41);
        assertThat(bitmap.claimRun(60)).isEqualTo(-1);
        assertThat(bitmap.claimRun(129)).isEqualTo(-1);
        assertThat(bitmap.cardinality()).isEqualTo(62);
    }

    @Test
    void shouldReleaseARunAcrossWords() {
        AtomicBitmap bitmap = create(200);
        int start = bitmap.claimRun(150);

        bitmap.releaseRun(start + 10, 100);

        assertThat(bitmap.cardinality()).isEqualTo(50);
        assertThat(bitmap.findClearRun(100)).isEqualTo(10);
        bitmap.releaseRun(0, 0);
        assertThat(bitmap.cardinality()).isEqualTo(50);
    }

    @Test
    void shouldRejectReleasingAClearBitNamingItWithoutChangingAnything() {
        AtomicBitmap bitmap = create(64);
        bitmap.tryClaim(6);

        assertThatThrownBy(() -> bitmap.release(5))
                .isInstanceOf(IllegalStateException.class).hasMessage("bit is not claimed: index=5 bitCount=64");
        assertThat(contents(bitmap).stream().toArray()).containsExactly(6);
    }

    @Test
    void shouldRejectReleasingARunWithAClearBitWithoutChangingAnything() {
        AtomicBitmap bitmap = create(200);
        bitmap.claimRun(100);
        bitmap.release(90);

        assertThatThrownBy(() -> bitmap.releaseRun(50, 50))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("bit is not claimed: index=90 fromIndex=50 count=50 bitCount=200");
        assertThatThrownBy(() -> bitmap.releaseRun(85, 10)).isInstanceOf(IllegalStateException.class);
        assertThat(bitmap.cardinality()).isEqualTo(99);
        assertThat(bitmap.get(50)).isTrue();
        assertThat(bitmap.get(89)).isTrue();
    }

    @Test
    void shouldRejectIndexesOutsideTheBitmap() {
        AtomicBitmap bitmap = create(64);

        assertThatThrownBy(() -> bitmap.tryClaim(64))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessage("index=64 bitCount=64");
        assertThatThrownBy(() -> bitmap.release(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> bitmap.get(70))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessage("index=70 bitCount=64");
        assertThatThrownBy(() -> bitmap.releaseRun(60, 5))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessage("fromIndex=60 count=5 bitCount=64");
        assertThat(bitmap.isClear()).isTrue();
    }

    @Test
    void shouldRejectBadCounts() {
        AtomicBitmap bitmap = create(64);

        assertThatThrownBy(() -> bitmap.claimRun(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("count must be > 0: count=0");
        assertThatThrownBy(() -> bitmap.findClearRun(-3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bitmap.releaseRun(3, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(bitmap.isClear()).isTrue();
    }

    @Test
    void shouldRejectAMisalignedAddressOrANonPositiveBitCount() {
        long address = arena.allocate(16, Long.BYTES).address();

        assertThatThrownBy(() -> new AtomicBitmap(address + 1, 64))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("address must be non-zero and 8-byte aligned: address=0x" + Long.toHexString(address + 1));
        assertThatThrownBy(() -> new AtomicBitmap(address, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("bitCount must be > 0: bitCount=0");
    }

    @Test
    void shouldShareItsLayoutWithThePlainBitmap() {
        MemorySegment words = arena.allocate(AtomicBitmap.byteSizeFor(100), Long.BYTES);
        AtomicBitmap atomic = new AtomicBitmap(words.address(), 100);
        atomic.claimRun(70);

        OffHeapBitmap plain = new OffHeapBitmap(words.address(), 100);

        assertThat(plain.cardinality()).isEqualTo(70);
        assertThat(plain.findFirstClear()).isEqualTo(70);
    }

    @Test
    void shouldClearAllForReuse() {
        AtomicBitmap bitmap = create(70);
        bitmap.claimRun(70);

        bitmap.clearAll();

        assertThat(bitmap.isClear()).isTrue();
        assertThat(bitmap.toString()).contains("bitCount=70").contains("cardinality=0");
    }
}
