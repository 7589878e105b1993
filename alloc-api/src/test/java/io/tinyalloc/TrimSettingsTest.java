package io.tinyalloc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinyalloc.core.ThpMode;
import io.tinyalloc.core.TrimConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The trim policy's settings: builder methods, properties and environment, and their errors. */
class TrimSettingsTest {

    @Test
    void shouldDefaultToTrimThreadWithTenthOfASecondDelay() {
        TrimConfig trim = Allocator.builder().trimConfig();
        assertThat(trim).isEqualTo(TrimConfig.defaults());
        assertThat(trim.trimThread()).isTrue();
        assertThat(trim.purgeDelay()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void shouldPassBuilderSettingsToTheHeap() {
        TrimConfig trim = Allocator.builder().trimThread(false).purgeDelay(Duration.ofMillis(200))
                .purgeMode(PurgeMode.FREE).trimThreshold(8L << 20)
                .transparentHugePages(TransparentHugePages.FORCE).heapConfig().trim();
        assertThat(trim).isEqualTo(new TrimConfig(false, 200_000_000L, io.tinyalloc.core.PurgeMode.FREE, 8L << 20,
                ThpMode.FORCE));
    }

    @Test
    void shouldRejectBadBuilderValuesNamingTheSetting() {
        AllocatorBuilder builder = Allocator.builder();
        assertThatThrownBy(() -> builder.trimThreshold(4096)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("trimThreshold=4096 is below the minimum 1048576");
        assertThatThrownBy(() -> builder.purgeDelay(Duration.ofMillis(-5))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("purgeDelay=PT-0.005S is outside");
        assertThatThrownBy(() -> builder.purgeDelay(Duration.ofHours(2))).hasMessageStartingWith("purgeDelay=PT2H");
        assertThat(builder.trimConfig()).as("unchanged after the errors").isEqualTo(TrimConfig.defaults());
    }

    @Test
    void shouldReadPropertiesAndEnvironment() {
        Configuration configuration = Configuration.of(
                Map.of("tinyalloc.purgeDelay", "200ms", "tinyalloc.forceThp", "true"),
                Map.of("TINYALLOC_DISABLE_TRIM_THREAD", "1", "TINYALLOC_TRIM_THRESHOLD", "16m",
                        "TINYALLOC_PURGE_MODE", "free"));
        TrimConfig trim = configuration.applyTo(Allocator.builder()).trimConfig();
        assertThat(trim).isEqualTo(new TrimConfig(false, 200_000_000L, io.tinyalloc.core.PurgeMode.FREE, 16L << 20,
                ThpMode.FORCE));
    }

    @Test
    void shouldReadDisableThpFromEnvironment() {
        TrimConfig trim = Configuration.of(Map.of(), Map.of("TINYALLOC_DISABLE_THP", "yes"))
                .applyTo(Allocator.builder()).trimConfig();
        assertThat(trim.thpMode()).isEqualTo(ThpMode.DISABLE);
    }

    @Test
    void shouldRejectForceAndDisableThpTogetherNamingBoth() {
        Configuration configuration = Configuration.of(Map.of(),
                Map.of("TINYALLOC_FORCE_THP", "1", "TINYALLOC_DISABLE_THP", "1"));
        assertThatThrownBy(() -> configuration.applyTo(Allocator.builder()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TINYALLOC_DISABLE_THP=\"1\" (environment variable)")
                .hasMessageContaining("forceThp and disableThp are both set");
    }

    @Test
    void shouldRejectBadTextNamingTheSetting() {
        assertThatThrownBy(() -> Configuration.of(Map.of("tinyalloc.trimThreshold", "1k"), Map.of())
                .applyTo(Allocator.builder()))
                .hasMessage("tinyalloc.trimThreshold=\"1k\" (system property): trimThreshold=1024 is below the minimum 1048576");
        assertThatThrownBy(() -> Configuration.of(Map.of(), Map.of("TINYALLOC_PURGE_DELAY", "soon"))
                .applyTo(Allocator.builder()))
                .hasMessageStartingWith("TINYALLOC_PURGE_DELAY=\"soon\" (environment variable): \"soon\" is not a duration");
        assertThatThrownBy(() -> Configuration.of(Map.of("tinyalloc.purgeMode", "lazy"), Map.of())
                .applyTo(Allocator.builder()))
                .hasMessageContaining("tinyalloc.purgeMode=\"lazy\"").hasMessageContaining("not a purge mode");
    }

    @Test
    void shouldParseDurations() {
        assertThat(Configuration.parseDuration("250")).isEqualTo(Duration.ofMillis(250));
        assertThat(Configuration.parseDuration("1s")).isEqualTo(Duration.ofSeconds(1));
        assertThat(Configuration.parseDuration("500us")).isEqualTo(Duration.ofNanos(500_000));
        assertThat(Configuration.parseDuration("2M")).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void shouldGiveMemoryBackWithoutTrimCallAndReportIt() throws InterruptedException {
        try (Allocator allocator = Allocator.builder().purgeDelay(Duration.ofMillis(50)).threadCache(false).build()) {
            long[] blocks = new long[2000];
            for (int i = 0; i < blocks.length; i++) {
                blocks[i] = allocator.malloc(20_000);
            }
            for (long block : blocks) {
                allocator.free(block);
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (allocator.stats().committedBytes() > (8L << 20) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            AllocatorStats stats = allocator.stats();
            assertThat(stats.committedBytes()).isLessThanOrEqualTo(8L << 20);
            assertThat(stats.purgedBytes()).isPositive();
            assertThat(stats.trimPasses()).isPositive();
            assertThat(stats.failedKernelCalls()).isZero();
        }
    }
}
