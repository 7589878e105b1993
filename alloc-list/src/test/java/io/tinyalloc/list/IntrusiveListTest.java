package io.tinyalloc.list;

import io.tinyalloc.sys.Memory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PrimitiveIterator;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IntrusiveListTest {

    private static final long LINK_OFFSET = OffHeapNodes.LINK_OFFSET;

    private final OffHeapNodes nodes = OffHeapNodes.confined(16);
    private final IntrusiveList list = new IntrusiveList(LINK_OFFSET);
    private final IntrusiveList other = new IntrusiveList(LINK_OFFSET);

    @AfterEach
    void checkAndFree() {
        assertThat(list.checkInvariants()).isTrue();
        assertThat(other.checkInvariants()).isTrue();
        nodes.close();
    }

    private long node(int index) {
        return nodes.address(index);
    }

    /** The nodes of {@code l} head to tail, as node indexes. */
    private List<Integer> contents(IntrusiveList l) {
        List<Integer> indexes = new ArrayList<>();
        l.forEach(node -> indexes.add(nodes.indexOf(node)));
        return indexes;
    }

    /** The nodes of {@code l} tail to head, as node indexes. */
    private List<Integer> contentsBackward(IntrusiveList l) {
        List<Integer> indexes = new ArrayList<>();
        for (long node = l.peekLast(); node != 0; node = l.prev(node)) {
            indexes.addFirst(nodes.indexOf(node));
        }
        return indexes;
    }

    private void pushAll(IntrusiveList l, int... indexes) {
        for (int index : indexes) {
            l.push(node(index));
        }
    }

    @Nested
    class Construction {
        @Test
        void shouldStartEmpty() {
            assertThat(list.isEmpty()).isTrue();
            assertThat(list.size()).isZero();
            assertThat(list.peekFirst()).isZero();
            assertThat(list.peekLast()).isZero();
            assertThat(list.linkOffset()).isEqualTo(LINK_OFFSET);
        }

        @Test
        void shouldGiveEveryListADistinctNonZeroOwnerId() {
            IntrusiveList third = new IntrusiveList(0);
            assertThat(List.of(list.ownerId(), other.ownerId(), third.ownerId()))
                    .doesNotHaveDuplicates()
                    .doesNotContain(Link.NO_OWNER);
        }

        @ParameterizedTest
        @ValueSource(longs = {-8, -1, 4, 17, (1L << 30) + 8, Long.MAX_VALUE})
        void shouldRejectBadLinkOffsets(long linkOffset) {
            assertThatThrownBy(() -> new IntrusiveList(linkOffset))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("linkOffset=" + linkOffset);
        }

        @Test
        void shouldAcceptALinkAtTheStartOfTheNode() {
            IntrusiveList atZero = new IntrusiveList(0);
            atZero.push(node(0));
            atZero.push(node(1));
            assertThat(Link.owner(node(0))).isEqualTo(atZero.ownerId());
            assertThat(atZero.next(node(0))).isEqualTo(node(1));
            assertThat(atZero.checkInvariants()).isTrue();
        }
    }

    @Nested
    class Insertion {
        @Test
        void shouldPushAtTheTail() {
            pushAll(list, 0, 1, 2);
            assertThat(contents(list)).containsExactly(0, 1, 2);
            assertThat(contentsBackward(list)).containsExactly(0, 1, 2);
            assertThat(list.size()).isEqualTo(3);
            assertThat(list.peekFirst()).isEqualTo(node(0));
            assertThat(list.peekLast()).isEqualTo(node(2));
        }

        @Test
        void shouldPushFrontAtTheHead() {
            list.pushFront(node(0));
            list.pushFront(node(1));
            list.pushFront(node(2));
            assertThat(contents(list)).containsExactly(2, 1, 0);
            assertThat(contentsBackward(list)).containsExactly(2, 1, 0);
        }

        @Test
        void shouldWriteOwnerAndNeighboursIntoTheLink() {
            pushAll(list, 0, 1, 2);
            long link = node(1) + LINK_OFFSET;
            assertThat(Link.owner(link)).isEqualTo(list.ownerId());
            assertThat(Link.prev(link)).isEqualTo(node(0));
            assertThat(Link.next(link)).isEqualTo(node(2));
            assertThat(Link.prev(node(0) + LINK_OFFSET)).isZero();
            assertThat(Link.next(node(2) + LINK_OFFSET)).isZero();
        }

        @Test
        void shouldNotTouchTheNodeOutsideTheLink() {
            Memory.fill(node(0), LINK_OFFSET, (byte) 0x33);
            list.push(node(0));
            assertThat(Memory.isFilledWith(node(0), LINK_OFFSET, (byte) 0x33)).isTrue();
        }

        @Test
        void shouldInsertBeforeTheHeadAndInTheMiddle() {
            pushAll(list, 0, 1);
            list.insertBefore(node(0), node(5));
            list.insertBefore(node(1), node(6));
            assertThat(contents(list)).containsExactly(5, 0, 6, 1);
            assertThat(contentsBackward(list)).containsExactly(5, 0, 6, 1);
            assertThat(list.peekFirst()).isEqualTo(node(5));
        }

        @Test
        void shouldInsertAfterTheTailAndInTheMiddle() {
            pushAll(list, 0, 1);
            list.insertAfter(node(1), node(5));
            list.insertAfter(node(0), node(6));
            assertThat(contents(list)).containsExactly(0, 6, 1, 5);
            assertThat(contentsBackward(list)).containsExactly(0, 6, 1, 5);
            assertThat(list.peekLast()).isEqualTo(node(5));
        }
    }

    @Nested
    class Removal {
        @Test
        void shouldPopFromTheTail() {
            pushAll(list, 0, 1, 2);
            assertThat(list.pop()).isEqualTo(node(2));
            assertThat(list.pop()).isEqualTo(node(1));
            assertThat(contents(list)).containsExactly(0);
        }

        @Test
        void shouldPopFrontFromTheHead() {
            pushAll(list, 0, 1, 2);
            assertThat(list.popFront()).isEqualTo(node(0));
            assertThat(list.popFront()).isEqualTo(node(1));
            assertThat(contents(list)).containsExactly(2);
        }

        @Test
        void shouldReturnZeroWhenPoppingAnEmptyList() {
            assertThat(list.pop()).isZero();
            assertThat(list.popFront()).isZero();
            list.push(node(0));
            list.pop();
            assertThat(list.pop()).isZero();
            assertThat(list.popFront()).isZero();
            assertThat(list.isEmpty()).isTrue();
        }

        @Test
        void shouldRemoveTheHeadTheMiddleAndTheTail() {
            pushAll(list, 0, 1, 2, 3, 4);
            list.remove(node(0));
            list.remove(node(2));
            list.remove(node(4));
            assertThat(contents(list)).containsExactly(1, 3);
            assertThat(contentsBackward(list)).containsExactly(1, 3);
            assertThat(list.size()).isEqualTo(2);
        }

        @Test
        void shouldRemoveTheOnlyNode() {
            list.push(node(3));
            list.remove(node(3));
            assertThat(list.isEmpty()).isTrue();
            assertThat(list.peekFirst()).isZero();
            assertThat(list.peekLast()).isZero();
        }

        @Test
        void shouldZeroTheLinkOfARemovedNodeSoItCanJoinAnotherList() {
            pushAll(list, 0, 1, 2);
            list.remove(node(1));
            assertThat(Memory.isFilledWith(node(1) + LINK_OFFSET, Link.BYTE_SIZE, (byte) 0)).isTrue();
            assertThat(list.pop()).isEqualTo(node(2));
            assertThat(Memory.isFilledWith(node(2) + LINK_OFFSET, Link.BYTE_SIZE, (byte) 0)).isTrue();
            other.push(node(1));
            other.push(node(2));
            assertThat(contents(other)).containsExactly(1, 2);
        }

        @Test
        void shouldUnlinkEveryNodeOnClear() {
            pushAll(list, 0, 1, 2, 3);
            list.clear();
            assertThat(list.isEmpty()).isTrue();
            assertThat(contents(list)).isEmpty();
            for (int i = 0; i < 4; i++) {
                assertThat(IntrusiveList.isLinked(node(i), LINK_OFFSET)).isFalse();
                other.push(node(i));
            }
            assertThat(other.size()).isEqualTo(4);
        }
    }

    @Nested
    class Queries {
        @Test
        void shouldWalkWithNextAndPrev() {
            pushAll(list, 0, 1, 2);
            assertThat(list.next(node(0))).isEqualTo(node(1));
            assertThat(list.next(node(2))).isZero();
            assertThat(list.prev(node(2))).isEqualTo(node(1));
            assertThat(list.prev(node(0))).isZero();
        }

        @Test
        void shouldKnowWhichNodesItContains() {
            pushAll(list, 0, 1);
            other.push(node(2));
            assertThat(list.contains(node(0))).isTrue();
            assertThat(list.contains(node(1))).isTrue();
            assertThat(list.contains(node(2))).isFalse();
            assertThat(list.contains(node(3))).isFalse();
            assertThat(other.contains(node(2))).isTrue();
            list.remove(node(0));
            assertThat(list.contains(node(0))).isFalse();
        }

        @Test
        void shouldTellWhetherANodeIsLinkedAnywhere() {
            list.push(node(0));
            other.push(node(1));
            assertThat(IntrusiveList.isLinked(node(0), LINK_OFFSET)).isTrue();
            assertThat(IntrusiveList.isLinked(node(1), LINK_OFFSET)).isTrue();
            assertThat(IntrusiveList.isLinked(node(2), LINK_OFFSET)).isFalse();
        }

        @Test
        void shouldRejectBadArgumentsToIsLinked() {
            assertThatThrownBy(() -> IntrusiveList.isLinked(0, LINK_OFFSET))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node=0x0");
            assertThatThrownBy(() -> IntrusiveList.isLinked(node(0) + 4, LINK_OFFSET))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("node=0x" + Long.toHexString(node(0) + 4));
            assertThatThrownBy(() -> IntrusiveList.isLinked(node(0), 12))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("linkOffset=12");
        }

        @Test
        void shouldDescribeItselfWithOwnerAndSize() {
            pushAll(list, 0, 1);
            assertThat(list.toString()).contains("owner=" + list.ownerId()).contains("size=2");
        }
    }

    @Nested
    class Iteration {
        @Test
        void shouldIterateHeadToTail() {
            pushAll(list, 3, 1, 2);
            PrimitiveIterator.OfLong iterator = list.iterator();
            List<Integer> seen = new ArrayList<>();
            while (iterator.hasNext()) {
                seen.add(nodes.indexOf(iterator.nextLong()));
            }
            assertThat(seen).containsExactly(3, 1, 2);
            assertThatThrownBy(iterator::nextLong).isInstanceOf(NoSuchElementException.class);
        }

        @Test
        void shouldRemoveTheCurrentNodeThroughTheIterator() {
            pushAll(list, 0, 1, 2, 3);
            PrimitiveIterator.OfLong iterator = list.iterator();
            while (iterator.hasNext()) {
                long node = iterator.nextLong();
                if (nodes.indexOf(node) % 2 == 0) {
                    iterator.remove();
                    assertThat(IntrusiveList.isLinked(node, LINK_OFFSET)).isFalse();
                }
            }
            assertThat(contents(list)).containsExactly(1, 3);
            assertThat(list.size()).isEqualTo(2);
        }

        @Test
        void shouldRefuseIteratorRemoveWithoutACurrentNode() {
            pushAll(list, 0, 1);
            PrimitiveIterator.OfLong iterator = list.iterator();
            assertThatThrownBy(iterator::remove).isInstanceOf(IllegalStateException.class);
            iterator.nextLong();
            iterator.remove();
            assertThatThrownBy(iterator::remove).isInstanceOf(IllegalStateException.class);
            assertThat(contents(list)).containsExactly(1);
        }

        @Test
        void shouldFailFastWhenTheListChangesBehindTheIterator() {
            pushAll(list, 0, 1, 2);
            PrimitiveIterator.OfLong iterator = list.iterator();
            iterator.nextLong();
            list.push(node(3));
            assertThatThrownBy(iterator::nextLong).isInstanceOf(ConcurrentModificationException.class);
            assertThatThrownBy(iterator::remove).isInstanceOf(ConcurrentModificationException.class);
            assertThat(contents(list)).containsExactly(0, 1, 2, 3);
        }

        @Test
        void shouldDrainHeadFirstAndLeaveTheListEmpty() {
            pushAll(list, 0, 1, 2);
            PrimitiveIterator.OfLong drain = list.drain();
            List<Integer> seen = new ArrayList<>();
            while (drain.hasNext()) {
                long node = drain.nextLong();
                assertThat(IntrusiveList.isLinked(node, LINK_OFFSET)).isFalse();
                seen.add(nodes.indexOf(node));
            }
            assertThat(seen).containsExactly(0, 1, 2);
            assertThat(list.isEmpty()).isTrue();
            assertThatThrownBy(drain::nextLong).isInstanceOf(NoSuchElementException.class);
        }

        @Test
        void shouldLetADrainedNodeMoveToAnotherList() {
            pushAll(list, 0, 1, 2);
            list.drain().forEachRemaining((long node) -> other.pushFront(node));
            assertThat(contents(other)).containsExactly(2, 1, 0);
            assertThat(list.isEmpty()).isTrue();
        }

        @Test
        void shouldSeeNodesPushedWhileDraining() {
            pushAll(list, 0);
            PrimitiveIterator.OfLong drain = list.drain();
            assertThat(drain.nextLong()).isEqualTo(node(0));
            list.push(node(1));
            assertThat(drain.hasNext()).isTrue();
            assertThat(drain.nextLong()).isEqualTo(node(1));
            assertThat(drain.hasNext()).isFalse();
        }

        @Test
        void shouldVisitEveryNodeWithForEach() {
            pushAll(list, 4, 0, 7);
            assertThat(contents(list)).containsExactly(4, 0, 7);
            List<Long> visited = new ArrayList<>();
            new IntrusiveList(LINK_OFFSET).forEach(visited::add);
            assertThat(visited).isEmpty();
        }

        @Test
        void shouldFailForEachWhoseActionChangesTheList() {
            pushAll(list, 0, 1, 2);
            assertThatThrownBy(() -> list.forEach(node -> list.remove(node)))
                    .isInstanceOf(ConcurrentModificationException.class)
                    .hasMessageContaining("listOwner=" + list.ownerId());
        }
    }

    @Nested
    class InvariantCheckers {
        @Test
        void shouldAcceptWellFormedLists() {
            assertThat(list.checkInvariants()).isTrue();
            pushAll(list, 0, 1, 2);
            assertThat(list.checkEnds()).isTrue();
            assertThat(list.checkInvariants()).isTrue();
        }

        @Test
        void shouldDetectABrokenBackwardLink() {
            pushAll(list, 0, 1, 2);
            long link = node(2) + LINK_OFFSET;
            long savedPrev = Memory.getLong(link + Link.PREV_OFFSET);
            Memory.putLong(link + Link.PREV_OFFSET, node(0));
            assertThatThrownBy(list::checkInvariants)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("node=0x" + Long.toHexString(node(2)));
            Memory.putLong(link + Link.PREV_OFFSET, savedPrev);
        }

        @Test
        void shouldDetectAForeignOwnerInTheMiddle() {
            pushAll(list, 0, 1, 2);
            long ownerAddress = node(1) + LINK_OFFSET + Link.OWNER_OFFSET;
            Memory.putLong(ownerAddress, other.ownerId());
            assertThatThrownBy(list::checkInvariants)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("owner=" + other.ownerId());
            Memory.putLong(ownerAddress, list.ownerId());
        }

        @Test
        void shouldDetectACycle() {
            pushAll(list, 0, 1, 2);
            long nextAddress = node(2) + LINK_OFFSET + Link.NEXT_OFFSET;
            Memory.putLong(nextAddress, node(0));
            assertThatThrownBy(list::checkInvariants).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(list::checkEnds).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("next of last");
            Memory.putLong(nextAddress, 0);
        }
    }

    /** Every rejected call must name the node and the owners, and leave both lists as they were. */
    @Nested
    class Errors {

        private void assertRejectedWithoutChange(Consumer<IntrusiveList> call, String... messageParts) {
            pushAll(list, 0, 1, 2);
            other.push(node(3));
            List<Integer> listBefore = contents(list);
            List<Integer> otherBefore = contents(other);

            assertThatThrownBy(() -> call.accept(list))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContainingAll(messageParts);

            assertThat(contents(list)).isEqualTo(listBefore);
            assertThat(contentsBackward(list)).isEqualTo(listBefore);
            assertThat(contents(other)).isEqualTo(otherBefore);
            assertThat(list.size()).isEqualTo(listBefore.size());
            assertThat(other.size()).isEqualTo(otherBefore.size());
        }

        private String hex(long address) {
            return "node=0x" + Long.toHexString(address);
        }

        private String owners(long nodeOwner, long listOwner) {
            return "nodeOwner=" + nodeOwner + " listOwner=" + listOwner;
        }

        @Test
        void shouldRejectPushingANodeAlreadyInThisList() {
            assertRejectedWithoutChange(l -> l.push(node(1)),
                    hex(node(1)), "this list", owners(list.ownerId(), list.ownerId()));
        }

        @Test
        void shouldRejectPushFrontOfANodeInAnotherList() {
            assertRejectedWithoutChange(l -> l.pushFront(node(3)),
                    hex(node(3)), "another list", owners(other.ownerId(), list.ownerId()));
        }

        @Test
        void shouldRejectPushingANodeInAnotherList() {
            assertRejectedWithoutChange(l -> l.push(node(3)),
                    hex(node(3)), owners(other.ownerId(), list.ownerId()));
        }

        @Test
        void shouldRejectInsertingALinkedNodeBeforeAnAnchor() {
            assertRejectedWithoutChange(l -> l.insertBefore(node(1), node(3)),
                    hex(node(3)), owners(other.ownerId(), list.ownerId()));
        }

        @Test
        void shouldRejectInsertingANodeOfThisListAfterAnAnchor() {
            assertRejectedWithoutChange(l -> l.insertAfter(node(0), node(2)),
                    hex(node(2)), owners(list.ownerId(), list.ownerId()));
        }

        @Test
        void shouldRejectAnAnchorThatIsNotInThisList() {
            assertRejectedWithoutChange(l -> l.insertBefore(node(7), node(8)),
                    hex(node(7)), "not in this list", owners(0, list.ownerId()));
        }

        @Test
        void shouldRejectAnAnchorThatIsInAnotherList() {
            assertRejectedWithoutChange(l -> l.insertAfter(node(3), node(8)),
                    hex(node(3)), owners(other.ownerId(), list.ownerId()));
        }

        @Test
        void shouldRejectInsertingANodeRelativeToItself() {
            assertRejectedWithoutChange(l -> l.insertAfter(node(1), node(1)), hex(node(1)));
        }

        @Test
        void shouldRejectRemovingANodeThatIsInNoList() {
            assertRejectedWithoutChange(l -> l.remove(node(9)),
                    hex(node(9)), "not in this list", owners(0, list.ownerId()));
        }

        @Test
        void shouldRejectRemovingANodeOfAnotherList() {
            assertRejectedWithoutChange(l -> l.remove(node(3)),
                    hex(node(3)), owners(other.ownerId(), list.ownerId()));
            assertThat(other.contains(node(3))).isTrue();
        }

        @Test
        void shouldRejectRemovingTheSameNodeTwice() {
            pushAll(list, 5);
            list.remove(node(5));
            assertRejectedWithoutChange(l -> l.remove(node(5)), hex(node(5)), owners(0, list.ownerId()));
        }

        @Test
        void shouldRejectNextOfANodeInAnotherList() {
            assertRejectedWithoutChange(l -> l.next(node(3)), hex(node(3)), owners(other.ownerId(), list.ownerId()));
        }

        @Test
        void shouldRejectPrevOfANodeInNoList() {
            assertRejectedWithoutChange(l -> l.prev(node(9)), hex(node(9)), owners(0, list.ownerId()));
        }

        @ParameterizedTest
        @ValueSource(longs = {0, 4, 12, -8, -1, Long.MIN_VALUE, Long.MAX_VALUE & ~7L})
        void shouldRejectZeroNegativeMisalignedOrOverflowingAddressesInEveryOperation(long bad) {
            String badNode = hex(bad);
            String listOwner = "listOwner=" + list.ownerId();
            long anchor = node(1);
            long fresh = node(9);
            List<Consumer<IntrusiveList>> calls = List.of(
                    l -> l.push(bad), l -> l.pushFront(bad), l -> l.remove(bad), l -> l.next(bad),
                    l -> l.prev(bad), l -> l.contains(bad),
                    l -> l.insertBefore(bad, fresh), l -> l.insertBefore(anchor, bad),
                    l -> l.insertAfter(bad, fresh), l -> l.insertAfter(anchor, bad));
            for (Consumer<IntrusiveList> call : calls) {
                assertRejectedWithoutChange(call, badNode, listOwner);
                list.clear();
                other.clear();
            }
        }

        @Test
        void shouldRejectAnAddressThatIsOnlyMisalignedByTheNodeNotTheLink() {
            assertRejectedWithoutChange(l -> l.push(node(4) + 8 + 1), hex(node(4) + 9));
        }
    }
}
