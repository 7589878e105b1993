package io.tinyalloc.list;

import java.util.ConcurrentModificationException;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.PrimitiveIterator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * A doubly-linked list of off-heap nodes whose links live inside the nodes themselves.
 *
 * <p>A node is identified by its absolute address (8-byte aligned, never 0); its {@link Link}
 * sits at {@link #linkOffset()} bytes into it. The list itself keeps only the two ends and a
 * count on the heap, so linking and unlinking are O(1) and allocate nothing.
 *
 * <p>Every list has a process-unique, non-zero {@link #ownerId()} that it writes into the
 * owner field of each node it holds. That makes {@link #contains} O(1) and turns misuse into an
 * {@link IllegalArgumentException} instead of corruption: a node already linked (here or in
 * another list) cannot be inserted, and a node this list does not hold cannot be removed or used
 * as an anchor. After such an error no list has changed.
 *
 * <p><b>Invariants</b> (checked by {@link #checkInvariants()}, O(size), and {@link #checkEnds()},
 * O(1)):
 * <ul>
 *   <li>size == number of nodes reachable from first by next == number reachable from last by prev</li>
 *   <li>size == 0 &lt;=&gt; first == 0 &lt;=&gt; last == 0; prev(first) == 0; next(last) == 0</li>
 *   <li>for every node n in the list: owner(n) == ownerId, and next(prev(n)) == n == prev(next(n))
 *       where the neighbour exists</li>
 *   <li>a node removed from the list has a zeroed link (owner == {@link Link#NO_OWNER})</li>
 * </ul>
 *
 * <p><b>Not thread-safe.</b> A list and its nodes' links must be used by one thread at a time;
 * callers that share a list guard it with their own lock. Iterators are fail-fast: changing the
 * list other than through the iterator makes the iterator throw
 * {@link ConcurrentModificationException}.
 */
public final class IntrusiveList {

    private static final AtomicLong LAST_OWNER_ID = new AtomicLong(Link.NO_OWNER);

    private final long linkOffset;
    private final long ownerId;
    private long firstNode;
    private long lastNode;
    private long size;
    /** Bumped by every structural change, so iterators can detect changes behind their back. */
    private int modificationCount;

    /**
     * @param linkOffset byte offset of the {@link Link} inside every node of this list: a multiple
     *                   of 8 in [0, 2^30]
     */
    public IntrusiveList(long linkOffset) {
        this.linkOffset = ListErrors.requireFieldOffset("linkOffset", linkOffset);
        this.ownerId = LAST_OWNER_ID.incrementAndGet();
    }

    public long linkOffset() {
        return linkOffset;
    }

    /** The id this list writes into the owner field of its nodes: non-zero, unique in the process. */
    public long ownerId() {
        return ownerId;
    }

    public long size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    // ---- insertion ------------------------------------------------------------------------------

    /** Appends {@code node} at the tail. */
    public void push(long node) {
        requireUnlinked(node);
        linkBetween(node, lastNode, 0);
    }

    /** Prepends {@code node} at the head. */
    public void pushFront(long node) {
        requireUnlinked(node);
        linkBetween(node, 0, firstNode);
    }

    /** Inserts {@code node} just before {@code anchor}, which must be in this list. */
    public void insertBefore(long anchor, long node) {
        requireOwned(anchor);
        requireUnlinked(node);
        linkBetween(node, Link.prevUnchecked(linkOf(anchor)), anchor);
    }

    /** Inserts {@code node} just after {@code anchor}, which must be in this list. */
    public void insertAfter(long anchor, long node) {
        requireOwned(anchor);
        requireUnlinked(node);
        linkBetween(node, anchor, Link.nextUnchecked(linkOf(anchor)));
    }

    // ---- removal --------------------------------------------------------------------------------

    /** Removes and returns the tail node, or 0 if the list is empty. */
    public long pop() {
        long node = lastNode;
        if (node != 0) {
            unlink(node);
        }
        return node;
    }

    /** Removes and returns the head node, or 0 if the list is empty. */
    public long popFront() {
        long node = firstNode;
        if (node != 0) {
            unlink(node);
        }
        return node;
    }

    /** Removes {@code node}, which must be in this list, and zeroes its link. */
    public void remove(long node) {
        requireOwned(node);
        unlink(node);
    }

    /** Unlinks every node (each link is zeroed, O(size)). */
    public void clear() {
        long node = firstNode;
        while (node != 0) {
            long next = Link.nextUnchecked(linkOf(node));
            Link.initUnchecked(linkOf(node));
            node = next;
        }
        firstNode = 0;
        lastNode = 0;
        size = 0;
        modificationCount++;
    }

    // ---- queries --------------------------------------------------------------------------------

    /** The head node, or 0 if the list is empty. */
    public long peekFirst() {
        return firstNode;
    }

    /** The tail node, or 0 if the list is empty. */
    public long peekLast() {
        return lastNode;
    }

    /** The node after {@code node} (which must be in this list), or 0 at the tail. */
    public long next(long node) {
        requireOwned(node);
        return Link.nextUnchecked(linkOf(node));
    }

    /** The node before {@code node} (which must be in this list), or 0 at the head. */
    public long prev(long node) {
        requireOwned(node);
        return Link.prevUnchecked(linkOf(node));
    }

    /** True if {@code node} is in this list: O(1), reads the node's owner field. */
    public boolean contains(long node) {
        requireNodeAddress(node);
        return Link.ownerUnchecked(linkOf(node)) == ownerId;
    }

    /** True if {@code node}, whose link is at {@code linkOffset}, is in any list. */
    public static boolean isLinked(long node, long linkOffset) {
        ListErrors.requireFieldOffset("linkOffset", linkOffset);
        if (!isValidNodeAddress(node, linkOffset)) {
            throw ListErrors.badListNode(node, Link.NO_OWNER);
        }
        return Link.ownerUnchecked(node + linkOffset) != Link.NO_OWNER;
    }

    // ---- traversal ------------------------------------------------------------------------------

    /**
     * Iterates from head to tail. {@link PrimitiveIterator.OfLong#remove()} unlinks the node last
     * returned; any other change to the list makes the iterator fail fast.
     */
    public PrimitiveIterator.OfLong iterator() {
        return new NodeIterator();
    }

    /**
     * An iterator that unlinks each node as it returns it, head first; the list is empty once it is
     * exhausted. Changes made to the list while draining are simply seen by the next call.
     */
    public PrimitiveIterator.OfLong drain() {
        return new DrainIterator();
    }

    /**
     * Calls {@code action} with every node, head to tail. The action must not change this list
     * (use {@link #iterator()} to remove while walking): if it does, this throws
     * {@link ConcurrentModificationException}.
     */
    public void forEach(LongConsumer action) {
        Objects.requireNonNull(action, "action");
        int expectedModificationCount = modificationCount;
        long node = firstNode;
        while (node != 0) {
            long next = Link.nextUnchecked(linkOf(node));
            action.accept(node);
            if (modificationCount != expectedModificationCount) {
                throw new ConcurrentModificationException("list changed during forEach: listOwner=" + ownerId);
            }
            node = next;
        }
    }

    // ---- invariant checkers ---------------------------------------------------------------------

    /**
     * Cheap check (O(1)): the ends agree with the size and with their own links.
     *
     * @return true, so that it can be used as {@code assert list.checkEnds()}
     * @throws IllegalStateException describing the first broken invariant
     */
    public boolean checkEnds() {
        IntrusiveListChecker.checkEnds(this);
        return true;
    }

    /**
     * Full check (O(size)): walks the list in both directions and verifies counts, owners and that
     * every next/prev pair matches.
     *
     * @return true, so that it can be used as {@code assert list.checkInvariants()}
     * @throws IllegalStateException describing the first broken invariant
     */
    public boolean checkInvariants() {
        IntrusiveListChecker.checkEnds(this);
        IntrusiveListChecker.checkWalks(this);
        return true;
    }

    @Override
    public String toString() {
        return "IntrusiveList[owner=" + ownerId + " size=" + size + " linkOffset=" + linkOffset
                + " first=" + ListErrors.hex(firstNode) + " last=" + ListErrors.hex(lastNode) + "]";
    }

    // ---- internals ------------------------------------------------------------------------------

    private long linkOf(long node) {
        return node + linkOffset;
    }

    private void linkBetween(long node, long prevNode, long nextNode) {
        Link.set(linkOf(node), nextNode, prevNode, ownerId);
        if (prevNode == 0) {
            firstNode = node;
        } else {
            Link.setNext(linkOf(prevNode), node);
        }
        if (nextNode == 0) {
            lastNode = node;
        } else {
            Link.setPrev(linkOf(nextNode), node);
        }
        size++;
        modificationCount++;
        assert checkEnds();
    }

    private void unlink(long node) {
        long link = linkOf(node);
        long prevNode = Link.prevUnchecked(link);
        long nextNode = Link.nextUnchecked(link);
        if (prevNode == 0) {
            firstNode = nextNode;
        } else {
            Link.setNext(linkOf(prevNode), nextNode);
        }
        if (nextNode == 0) {
            lastNode = prevNode;
        } else {
            Link.setPrev(linkOf(nextNode), prevNode);
        }
        Link.initUnchecked(link);
        size--;
        modificationCount++;
        assert checkEnds();
    }

    static boolean isValidNodeAddress(long node, long linkOffset) {
        return node > 0 && ListErrors.isWordAligned(node) && node + linkOffset > 0;
    }

    private void requireNodeAddress(long node) {
        if (!isValidNodeAddress(node, linkOffset)) {
            throw ListErrors.badListNode(node, ownerId);
        }
    }

    private void requireUnlinked(long node) {
        requireNodeAddress(node);
        long nodeOwnerId = Link.ownerUnchecked(linkOf(node));
        if (nodeOwnerId != Link.NO_OWNER) {
            throw ListErrors.alreadyLinked(node, nodeOwnerId, ownerId);
        }
    }

    private void requireOwned(long node) {
        requireNodeAddress(node);
        long nodeOwnerId = Link.ownerUnchecked(linkOf(node));
        if (nodeOwnerId != ownerId) {
            throw ListErrors.notOwned(node, nodeOwnerId, ownerId);
        }
    }

    /** Head-to-tail iterator; reads the successor before returning a node so it may be removed. */
    private final class NodeIterator implements PrimitiveIterator.OfLong {
        private long nextNode = firstNode;
        private long lastReturnedNode;
        private int expectedModificationCount = modificationCount;

        @Override
        public boolean hasNext() {
            return nextNode != 0;
        }

        @Override
        public long nextLong() {
            checkNotModified();
            if (nextNode == 0) {
                throw new NoSuchElementException("no more nodes: listOwner=" + ownerId);
            }
            lastReturnedNode = nextNode;
            nextNode = Link.nextUnchecked(linkOf(nextNode));
            return lastReturnedNode;
        }

        @Override
        public void remove() {
            if (lastReturnedNode == 0) {
                throw new IllegalStateException("remove() needs a preceding nextLong(): listOwner=" + ownerId);
            }
            checkNotModified();
            unlink(lastReturnedNode);
            lastReturnedNode = 0;
            expectedModificationCount = modificationCount;
        }

        private void checkNotModified() {
            if (modificationCount != expectedModificationCount) {
                throw new ConcurrentModificationException("list changed outside this iterator: listOwner=" + ownerId);
            }
        }
    }

    /** Pops from the head on every step. */
    private final class DrainIterator implements PrimitiveIterator.OfLong {
        @Override
        public boolean hasNext() {
            return firstNode != 0;
        }

        @Override
        public long nextLong() {
            long node = popFront();
            if (node == 0) {
                throw new NoSuchElementException("list drained: listOwner=" + ownerId);
            }
            return node;
        }
    }
}
