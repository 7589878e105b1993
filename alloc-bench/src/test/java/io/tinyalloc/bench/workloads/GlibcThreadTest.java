package io.tinyalloc.bench.workloads;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class GlibcThreadTest {

    @Test
    void shouldDrawSizesFromAPowerLawOverFourTo32KiB() {
        int[] sizes = GlibcThread.powerLawSizes();

        assertThat(Arrays.stream(sizes).min().orElseThrow()).isGreaterThanOrEqualTo(GlibcThread.MIN_BYTE_SIZE);
        assertThat(Arrays.stream(sizes).max().orElseThrow()).isLessThanOrEqualTo(GlibcThread.MAX_BYTE_SIZE);
        assertThat(sizes).isSorted();
        long small = Arrays.stream(sizes).filter(size -> size <= 1024).count();
        long large = Arrays.stream(sizes).filter(size -> size > 16384).count();
        assertThat(small).as("small sizes are more likely than large ones").isGreaterThan(large);
    }
}
