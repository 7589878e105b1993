package io.tinyalloc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinyalloc.core.HeapConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The thread cache switch: builder method, system property, environment variable, and both settings at work. */
class ThreadCacheSettingTest {

    @Test
    void shouldHaveTheThreadCacheOnByDefault() {
        assertThat(TestAllocators.builder().heapConfig().threadCache()).isTrue();
        assertThat(HeapConfig.defaults().threadCache()).isTrue();
    }

    @Test
    void shouldPassTheBuilderSettingToTheHeap() {
        assertThat(TestAllocators.builder().threadCache(false).heapConfig())
                .isEqualTo(TestAllocators.builder().heapConfig().withThreadCache(false));
        assertThat(TestAllocators.builder().threadCache(false).threadCache(true).heapConfig().threadCache()).isTrue();
    }

    @Test
    void shouldReadTheSettingFromAPropertyOrTheEnvironmentWithThePropertyWinning() {
        assertThat(Configuration.of(Map.of("tinyalloc.threadCache", "off"), Map.of())
                .applyTo(TestAllocators.builder()).heapConfig().threadCache()).isFalse();
        assertThat(Configuration.of(Map.of(), Map.of("TINYALLOC_THREAD_CACHE", "0"))
                .applyTo(TestAllocators.builder()).heapConfig().threadCache()).isFalse();
        assertThat(Configuration.of(Map.of("tinyalloc.threadCache", "yes"), Map.of("TINYALLOC_THREAD_CACHE", "no"))
                .applyTo(TestAllocators.builder()).heapConfig().threadCache()).isTrue();
    }

    @Test
    void shouldRejectAValueThatIsNotABooleanNamingTheSettingAndItsSource() {
        Configuration bad = Configuration.of(Map.of(), Map.of("TINYALLOC_THREAD_CACHE", "sometimes"));
        AllocatorBuilder builder = TestAllocators.builder();
        assertThatThrownBy(() -> bad.applyTo(builder)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("TINYALLOC_THREAD_CACHE=\"sometimes\" (environment variable): \"sometimes\" is not a boolean");
        assertThat(builder.heapConfig().threadCache()).isTrue();
    }

    @Test
    void shouldDetectEveryBadFreeWithAndWithoutTheThreadCache() {
        for (boolean cached : new boolean[] {true, false}) {
            try (Allocator allocator = TestAllocators.builder().threadCache(cached).build()) {
                long block = allocator.malloc(100);
                allocator.free(block);
                assertThatThrownBy(() -> allocator.free(block)).isInstanceOf(InvalidAddressException.class)
                        .hasMessageContaining(TestAllocators.hex(block));
                long other = allocator.malloc(100);
                assertThatThrownBy(() -> allocator.free(other + 16)).isInstanceOf(InvalidAddressException.class);
                assertThatThrownBy(() -> allocator.usableSize(block == other ? other + 16 : block))
                        .isInstanceOf(InvalidAddressException.class);
                allocator.free(other);
                assertThat(allocator.stats().liveCount()).isZero();
                assertThat(allocator.stats().mallocCount()).isEqualTo(2);
            }
        }
    }

    @Test
    void shouldGiveCachedBlocksBackOnTrim() throws Exception {
        try (Allocator allocator = TestAllocators.builder().build()) {
            Thread worker = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 1000; i++) {
                    allocator.free(allocator.malloc(64 + i % 512));
                }
            });
            worker.join();
            long returned = allocator.trim();
            assertThat(returned).isPositive();
            AllocatorStats stats = allocator.stats();
            assertThat(stats.liveCount()).isZero();
            assertThat(stats.segmentCount()).isZero();
            assertThat(stats.mallocCount()).isEqualTo(stats.freeCount()).isEqualTo(1000);
        }
    }
}
