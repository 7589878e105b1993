package io.tinyalloc.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FloorFreeListTest {

    @Test
    void shouldHandOutDistinctAlignedBlocksAcrossSlabs() {
        try (FloorFreeList list = new FloorFreeList(24, 4)) {
            Set<Long> addresses = new HashSet<>();
            for (int index = 0; index < 10; index++) {
                long address = list.pop();
                assertThat(address % 16).isZero();
                assertThat(addresses.add(address)).isTrue();
            }
            assertThat(list.blockByteSize()).isEqualTo(32);
        }
    }

    @Test
    void shouldReturnTheLastPushedBlockFirst() {
        try (FloorFreeList list = new FloorFreeList(64, 8)) {
            long first = list.pop();
            long second = list.pop();
            list.push(first);
            list.push(second);

            assertThat(list.pop()).isEqualTo(second);
            assertThat(list.pop()).isEqualTo(first);
        }
    }

    @Test
    void shouldRejectBlocksTooSmallForALinkOrTooLarge() {
        assertThatThrownBy(() -> new FloorFreeList(4, 8)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blockByteSize=4");
        assertThatThrownBy(() -> new FloorFreeList(1L << 31, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blockByteSize=2147483648");
        assertThatThrownBy(() -> new FloorFreeList(16, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blocksPerSlab=0");
    }
}
