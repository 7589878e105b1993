package io.tinyalloc.list;

import io.tinyalloc.sys.Memory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LinkTest {

    private final OffHeapNodes nodes = OffHeapNodes.confined(4);

    @AfterEach
    void freeNodes() {
        nodes.close();
    }

    @Test
    void shouldDescribeThreeConsecutiveWords() {
        assertThat(Link.NEXT_OFFSET).isZero();
        assertThat(Link.PREV_OFFSET).isEqualTo(8);
        assertThat(Link.OWNER_OFFSET).isEqualTo(16);
        assertThat(Link.BYTE_SIZE).isEqualTo(24);
    }

    @Test
    void shouldReadTheWordsAtTheirOffsets() {
        long link = nodes.address(0) + OffHeapNodes.LINK_OFFSET;
        Memory.putLong(link + Link.NEXT_OFFSET, 0x1000);
        Memory.putLong(link + Link.PREV_OFFSET, 0x2000);
        Memory.putLong(link + Link.OWNER_OFFSET, 7);

        assertThat(Link.next(link)).isEqualTo(0x1000);
        assertThat(Link.prev(link)).isEqualTo(0x2000);
        assertThat(Link.owner(link)).isEqualTo(7);
    }

    @Test
    void shouldZeroTheWholeLinkOnInitAndNothingAroundIt() {
        long node = nodes.address(1);
        Memory.fill(node, OffHeapNodes.NODE_BYTE_SIZE, (byte) 0x5A);
        long link = node + OffHeapNodes.LINK_OFFSET;

        Link.init(link);

        assertThat(Memory.isFilledWith(link, Link.BYTE_SIZE, (byte) 0)).isTrue();
        assertThat(Memory.isFilledWith(node, OffHeapNodes.LINK_OFFSET, (byte) 0x5A)).isTrue();
        assertThat(Memory.isFilledWith(link + Link.BYTE_SIZE,
                OffHeapNodes.NODE_BYTE_SIZE - OffHeapNodes.LINK_OFFSET - Link.BYTE_SIZE, (byte) 0x5A)).isTrue();
        assertThat(Link.owner(link)).isEqualTo(Link.NO_OWNER);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -8, 4, 0x1001, Long.MIN_VALUE})
    void shouldRejectZeroNegativeOrMisalignedLinkAddresses(long linkAddress) {
        String hex = "0x" + Long.toHexString(linkAddress);
        assertThatThrownBy(() -> Link.next(linkAddress)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(hex);
        assertThatThrownBy(() -> Link.prev(linkAddress)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(hex);
        assertThatThrownBy(() -> Link.owner(linkAddress)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(hex);
        assertThatThrownBy(() -> Link.init(linkAddress)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(hex);
    }
}
