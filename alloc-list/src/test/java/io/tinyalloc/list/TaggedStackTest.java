package io.tinyalloc.list;

import io.tinyalloc.sys.Memory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaggedStackTest {

    /** The stack's next pointer is at the same place the list tests put their link. */
    private static final long NEXT_OFFSET = OffHeapNodes.LINK_OFFSET;

    private final OffHeapNodes nodes = OffHeapNodes.confined(16);
    private final TaggedStack stack = new TaggedStack(NEXT_OFFSET);

    @AfterEach
    void checkAndFree() {
        assertThat(stack.checkInvariants()).isTrue();
        nodes.close();
    }

    private long node(int index) {
        return nodes.address(index);
    }

    /** Builds a chain through next pointers, in the given order, and returns nothing. */
    private void link(int... indexes) {
        for (int i = 0; i + 1 < indexes.length; i++) {
            stack.setNext(node(indexes[i]), node(indexes[i + 1]));
        }
    }

    /** Pops everything, one node at a time, as node indexes. */
    private List<Integer> popEverything() {
        List<Integer> indexes = new ArrayList<>();
        for (long node = stack.pop(); node != 0; node = stack.pop()) {
            indexes.add(nodes.indexOf(node));
        }
        return indexes;
    }

    /** Follows a chain the caller owns to its end, as node indexes. */
    private List<Integer> walk(long first) {
        List<Integer> indexes = new ArrayList<>();
        for (long node = first; node != 0; node = stack.next(node)) {
            indexes.add(nodes.indexOf(node));
        }
        return indexes;
    }

    @Test
    void shouldStartEmpty() {
        assertThat(stack.isEmpty()).isTrue();
        assertThat(stack.approximateSize()).isZero();
        assertThat(stack.pop()).isZero();
        assertThat(stack.popAll()).isZero();
        assertThat(stack.nextOffset()).isEqualTo(NEXT_OFFSET);
    }

    @Test
    void shouldPopInLastInFirstOutOrder() {
        stack.push(node(0));
        stack.push(node(1));
        stack.push(node(2));
        assertThat(stack.approximateSize()).isEqualTo(3);
        assertThat(stack.isEmpty()).isFalse();
        assertThat(popEverything()).containsExactly(2, 1, 0);
        assertThat(stack.isEmpty()).isTrue();
        assertThat(stack.approximateSize()).isZero();
    }

    @Test
    void shouldTouchOnlyTheNextPointerOfANode() {
        long node = node(0);
        Memory.fill(node, OffHeapNodes.NODE_BYTE_SIZE, (byte) 0x77);
        stack.push(node);
        stack.pop();
        assertThat(Memory.isFilledWith(node, NEXT_OFFSET, (byte) 0x77)).isTrue();
        assertThat(Memory.isFilledWith(node + NEXT_OFFSET + 8,
                OffHeapNodes.NODE_BYTE_SIZE - NEXT_OFFSET - 8, (byte) 0x77)).isTrue();
    }

    @Test
    void shouldWorkWithTheNextPointerAtTheStartOfTheNode() {
        TaggedStack atZero = new TaggedStack(0);
        atZero.push(node(0));
        atZero.push(node(1));
        assertThat(Memory.getLong(node(1))).isEqualTo(node(0));
        assertThat(atZero.pop()).isEqualTo(node(1));
        assertThat(atZero.pop()).isEqualTo(node(0));
        assertThat(atZero.pop()).isZero();
    }

    @Test
    void shouldIncrementTheTagOnEverySuccessfulChange() {
        int tag = stack.tag();
        stack.push(node(0));
        assertThat(stack.tag()).isEqualTo(tag + 1);
        stack.pop();
        assertThat(stack.tag()).isEqualTo(tag + 2);
        link(1, 2);
        stack.pushChain(node(1), node(2));
        assertThat(stack.tag()).isEqualTo(tag + 3);
        stack.popAll();
        assertThat(stack.tag()).isEqualTo(tag + 4);
    }

    @Test
    void shouldNotChangeTheTagWhenPoppingAnEmptyStack() {
        int tag = stack.tag();
        stack.pop();
        stack.popAll();
        assertThat(stack.tag()).isEqualTo(tag);
    }

    @Test
    void shouldWrapTheTagWithoutDisturbingTheAddress() {
        stack.push(node(5));
        for (int i = 0; i < 40_000; i++) {
            stack.push(node(6));
            assertThat(stack.pop()).isEqualTo(node(6));
        }
        assertThat(stack.tag()).isEqualTo(1 + 80_000 - 65_536);
        assertThat(stack.pop()).isEqualTo(node(5));
        assertThat(stack.isEmpty()).isTrue();
    }

    @Test
    void shouldPushAChainWithItsFirstNodeOnTop() {
        stack.push(node(9));
        link(0, 1, 2);
        stack.pushChain(node(0), node(2));
        assertThat(stack.approximateSize()).isEqualTo(4);
        assertThat(popEverything()).containsExactly(0, 1, 2, 9);
    }

    @Test
    void shouldPushAOneNodeChain() {
        stack.pushChain(node(4), node(4));
        assertThat(stack.approximateSize()).isEqualTo(1);
        assertThat(popEverything()).containsExactly(4);
    }

    @Test
    void shouldPushAChainOfKnownLengthInOneStep() {
        link(3, 4, 5, 6);
        stack.pushChain(node(3), node(6), 4);
        assertThat(stack.approximateSize()).isEqualTo(4);
        assertThat(popEverything()).containsExactly(3, 4, 5, 6);
    }

    @Test
    void shouldCatchAWrongChainLengthUnderAssertions() {
        link(3, 4, 5);
        assertThatThrownBy(() -> stack.pushChain(node(3), node(5), 2)).isInstanceOf(AssertionError.class);
        assertThat(stack.isEmpty()).isTrue();
    }

    @Test
    void shouldDetachEverythingWithPopAll() {
        stack.push(node(0));
        stack.push(node(1));
        link(2, 3);
        stack.pushChain(node(2), node(3));
        long first = stack.popAll();
        assertThat(walk(first)).containsExactly(2, 3, 1, 0);
        assertThat(stack.isEmpty()).isTrue();
        assertThat(stack.approximateSize()).isZero();
        assertThat(stack.pop()).isZero();
    }

    @Test
    void shouldLetADetachedChainBePushedBack() {
        stack.push(node(0));
        stack.push(node(1));
        long first = stack.popAll();
        stack.pushChain(first, node(0));
        assertThat(popEverything()).containsExactly(1, 0);
    }

    @Test
    void shouldAllowZeroAsTheEndOfAChain() {
        stack.setNext(node(0), 0);
        stack.pushChain(node(0), node(0));
        assertThat(stack.popAll()).isEqualTo(node(0));
    }

    @Test
    void shouldReadAndWriteNextPointers() {
        stack.setNext(node(0), node(1));
        assertThat(stack.next(node(0))).isEqualTo(node(1));
        assertThat(Memory.getLong(node(0) + NEXT_OFFSET)).isEqualTo(node(1));
        stack.setNext(node(0), 0);
        assertThat(stack.next(node(0))).isZero();
    }

    @Test
    void shouldDescribeItself() {
        stack.push(node(0));
        assertThat(stack.toString()).contains("top=0x" + Long.toHexString(node(0))).contains("approximateSize=1");
    }

    @Test
    void shouldDetectACountThatDisagreesWithTheChain() {
        stack.push(node(0));
        stack.push(node(1));
        stack.setNext(node(0), node(7));
        stack.setNext(node(7), 0);
        assertThatThrownBy(stack::checkInvariants).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("count=2");
        stack.setNext(node(0), 0);
    }

    // ---- errors -------------------------------------------------------------------------------

    private void assertRejectedWithoutChange(Consumer<TaggedStack> call, String... messageParts) {
        stack.push(node(10));
        stack.push(node(11));
        int tag = stack.tag();
        assertThatThrownBy(() -> call.accept(stack))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll(messageParts);
        assertThat(stack.tag()).isEqualTo(tag);
        assertThat(stack.approximateSize()).isEqualTo(2);
        assertThat(stack.checkInvariants()).isTrue();
        assertThat(popEverything()).containsExactly(11, 10);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 4, 0x1001, -8, Long.MIN_VALUE, 1L << 48, (1L << 48) + 8, Long.MAX_VALUE & ~7L})
    void shouldRejectZeroMisalignedNegativeOrWiderThan48BitAddresses(long bad) {
        String named = "node=0x" + Long.toHexString(bad);
        long good = node(1);
        List<Consumer<TaggedStack>> calls = new ArrayList<>(List.of(
                s -> s.push(bad), s -> s.pushChain(bad, good), s -> s.pushChain(good, bad),
                s -> s.pushChain(bad, good, 1), s -> s.pushChain(good, bad, 1),
                s -> s.next(bad), s -> s.setNext(bad, good)));
        if (bad != 0) {
            calls.add(s -> s.setNext(good, bad));
        }
        for (Consumer<TaggedStack> call : calls) {
            assertRejectedWithoutChange(call, named);
        }
    }

    @Test
    void shouldAcceptTheHighestAlignedAddressIn48Bits() {
        assertThat(TaggedStack.MAX_NODE_ADDRESS).isEqualTo(0xFFFF_FFFF_FFF8L);
    }

    @Test
    void shouldRejectAChainWhoseLastNodeIsNotReachable() {
        link(0, 1);
        stack.setNext(node(1), 0);
        assertRejectedWithoutChange(s -> s.pushChain(node(0), node(5)),
                "last=0x" + Long.toHexString(node(5)), "first=0x" + Long.toHexString(node(0)));
    }

    @Test
    void shouldRejectAChainThatLoopsBeforeReachingItsLastNode() {
        link(0, 1, 2, 3, 1);
        assertRejectedWithoutChange(s -> s.pushChain(node(0), node(8)), "last=0x" + Long.toHexString(node(8)));
    }

    @Test
    void shouldRejectAChainRunningIntoAMisalignedPointer() {
        Memory.putLong(node(0) + NEXT_OFFSET, node(1) + 4);
        assertRejectedWithoutChange(s -> s.pushChain(node(0), node(8)), "last=0x" + Long.toHexString(node(8)));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, -5})
    void shouldRejectAChainCountBelowOne(long nodeCount) {
        assertRejectedWithoutChange(s -> s.pushChain(node(0), node(0), nodeCount), "nodeCount=" + nodeCount);
    }

    @ParameterizedTest
    @ValueSource(longs = {-8, 3, (1L << 30) + 8})
    void shouldRejectBadNextOffsets(long nextOffset) {
        assertThatThrownBy(() -> new TaggedStack(nextOffset))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nextOffset=" + nextOffset);
    }
}
