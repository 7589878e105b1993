package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinyalloc.sys.Mapper;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Trim settings are checked with messages naming them; the trim thread's life follows the heap's. */
class TrimConfigTest {

    @Test
    void shouldRejectTrimThresholdBelowOneSegment() {
        assertThatThrownBy(() -> TrimConfig.defaults().withTrimThreshold(4096))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("trimThreshold").hasMessageContaining("4096");
    }

    @Test
    void shouldRejectNegativeOrHugePurgeDelay() {
        assertThatThrownBy(() -> TrimConfig.defaults().withPurgeDelay(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("purgeDelay");
        assertThatThrownBy(() -> TrimConfig.defaults().withPurgeDelay(Duration.ofDays(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("purgeDelay");
    }

    @Test
    void shouldKeepTheOldConstructorsWithoutTrimThread() {
        assertThat(new HeapConfig(1L << 30, 1L << 40, 1L << 30, false).trim()).isEqualTo(TrimConfig.manual());
        assertThat(HeapConfig.defaults().trim().trimThread()).isFalse();
        assertThat(TrimConfig.defaults().trimThread()).isTrue();
    }

    @Test
    void shouldWakeFourTimesPerDelayWithinBounds() {
        assertThat(Trimmer.intervalFor(200_000_000L)).isEqualTo(50_000_000L);
        assertThat(Trimmer.intervalFor(0)).isEqualTo(Trimmer.MIN_INTERVAL_NANOS);
        assertThat(Trimmer.intervalFor(10_000_000_000L)).isEqualTo(Trimmer.MAX_INTERVAL_NANOS);
    }

    @Test
    void shouldSeePressureBelowTenPercentOrQuarterGiB() {
        long gib = 1L << 30;
        assertThat(MemoryPressure.isHigh(gib, 24 * gib)).isTrue();
        assertThat(MemoryPressure.isHigh(4 * gib, 24 * gib)).isFalse();
        assertThat(MemoryPressure.isHigh(200L << 20, gib)).isTrue();
    }

    @Test
    void shouldStartTrimThreadOnFirstCommitAndStopItOnClose() throws InterruptedException {
        Heap heap = new Heap(HeapConfig.defaults().withTrim(TrimConfig.defaults()), Mapper.system());
        assertThat(heap.trimThread()).isNull();
        heap.free(heap.malloc(100));
        Thread thread = heap.trimThread();
        assertThat(thread).isNotNull();
        assertThat(thread.isDaemon()).isTrue();
        assertThat(thread.getName()).startsWith("tinyalloc-trim-");
        heap.close();
        thread.join(5000);
        assertThat(thread.isAlive()).isFalse();
    }

    @Test
    void shouldNotStartTrimThreadWhenDisabled() {
        try (Heap heap = new Heap(HeapConfig.defaults(), Mapper.system())) {
            heap.free(heap.malloc(100));
            assertThat(heap.trimThread()).isNull();
        }
    }
}
