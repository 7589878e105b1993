package io.tinyalloc.list;

import io.tinyalloc.sys.Memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A lock-free LIFO stack (Treiber stack) of off-heap nodes, safe against ABA through a tag.
 *
 * <p>Each node is an 8-byte aligned block of native memory whose address fits in 48 bits; the
 * stack threads its nodes through an 8-byte next pointer at {@link #nextOffset()} inside them.
 * The whole state is one 64-bit head word:
 *
 * <pre>
 *   63            48 47                                               0
 *  +----------------+--------------------------------------------------+
 *  |   tag (16)     |              first node address (48)             |
 *  +----------------+--------------------------------------------------+
 * </pre>
 *
 * The tag is incremented by every successful push, pushChain, pop and popAll, so a pop whose
 * head snapshot is stale fails its compare-and-set even when the same node address is back on
 * top (the ABA problem: thread A reads head=X, next=Y; others pop X and Y and push X again; an
 * untagged CAS by A would install the popped Y). A false success needs exactly a multiple of
 * 65,536 successful operations to happen between one thread's read of the head and its CAS with
 * the same node on top.
 *
 * <p><b>Invariants</b> (at rest; checked by {@link #checkInvariants()}):
 * <ul>
 *   <li>the nodes reachable from the head through next pointers, up to a 0 next, are exactly the
 *       nodes pushed and not yet popped; each appears once</li>
 *   <li>count == number of those nodes</li>
 * </ul>
 * <b>Non-invariants</b>: the count is updated just after the linearizing CAS, so while operations
 * are in flight {@link #approximateSize()} may lag the chain (it never goes below 0 when read).
 * The next pointer of a node that is not in the stack is garbage to the stack.
 *
 * <p><b>Memory reuse caveat</b>: a popping thread reads the next pointer of the node it saw on
 * top, and by then another thread may have popped that node and reused it. The value it reads is
 * then garbage and its CAS fails on the tag, so this is harmless <em>as long as the memory is
 * still mapped</em>: nodes must stay mapped (readable) for as long as any thread may still reach
 * them through the stack, i.e. memory may be recycled freely but never unmapped while the stack
 * is in use by other threads.
 *
 * <p><b>Ownership</b>: a node belongs to whoever popped it (or has not pushed it yet) until it is
 * pushed; pushing a node that is already in the stack would make a cycle, and O(1) code cannot
 * see it. Addresses are checked (non-zero, 8-byte aligned, 48 bits), membership is not.
 *
 * <p><b>Cost</b>: push and pop are one CAS on the head plus one atomic add on the count. The two
 * share a cache line on purpose: the add hits the line the successful CAS has just made exclusive
 * to this core. That line is padded on both sides inside an on-heap {@code long[]}, so no other
 * object's fields share it (no inheritance-chain padding).
 */
public final class TaggedStack {

    public static final int ADDRESS_BITS = 48;
    /** Largest node address the head can hold (48 bits, 8-byte aligned). */
    public static final long MAX_NODE_ADDRESS = ((1L << ADDRESS_BITS) - 1) & ~(ListErrors.WORD_BYTE_SIZE - 1);

    private static final long ADDRESS_MASK = (1L << ADDRESS_BITS) - 1;
    private static final long TAG_INCREMENT = 1L << ADDRESS_BITS;

    /** 128 bytes: a cache line plus the line the adjacent-line prefetcher pulls in with it. */
    private static final int PAD_LONG_COUNT = 16;
    private static final int HEAD_INDEX = PAD_LONG_COUNT;
    private static final int COUNT_INDEX = HEAD_INDEX + 1;
    private static final int CELL_COUNT = COUNT_INDEX + 1 + PAD_LONG_COUNT;
    private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(long[].class);

    private final long nextOffset;
    /** [padding | head word | count | padding]: only HEAD_INDEX and COUNT_INDEX are used. */
    private final long[] cells = new long[CELL_COUNT];

    /**
     * @param nextOffset byte offset of the 8-byte next pointer inside every node: a multiple of 8
     *                   in [0, 2^30]
     */
    public TaggedStack(long nextOffset) {
        this.nextOffset = ListErrors.requireFieldOffset("nextOffset", nextOffset);
    }

    public long nextOffset() {
        return nextOffset;
    }

    // ---- single nodes ---------------------------------------------------------------------------

    /** Pushes {@code node}; its next pointer is overwritten. */
    public void push(long node) {
        requireNode(node);
        pushLinked(node, node, 1);
    }

    /** Pops the top node, or returns 0 if the stack is empty. */
    public long pop() {
        long head;
        long node;
        do {
            head = headAcquire();
            node = addressOf(head);
            if (node == 0) {
                return 0;
            }
            // The node may already be popped and reused by another thread: its next is then
            // garbage (masked so it cannot spill into the tag) and the CAS fails on the tag.
        } while (!casHead(head, nextHead(head, nextUnchecked(node) & ADDRESS_MASK)));
        addCount(-1);
        return node;
    }

    // ---- chains (batches) -----------------------------------------------------------------------

    /**
     * Pushes a chain already linked through next pointers, {@code first} to {@code last}, in one
     * CAS; {@code first} ends up on top. Walks the chain once (O(chain length)) to validate it
     * and count it; use {@link #pushChain(long, long, long)} when the count is known.
     *
     * @throws IllegalArgumentException if a node is invalid or {@code last} is not reachable from
     *                                  {@code first}; the stack is then unchanged
     */
    public void pushChain(long first, long last) {
        requireNode(first);
        requireNode(last);
        pushLinked(first, last, countChain(first, last));
    }

    /**
     * Like {@link #pushChain(long, long)} in O(1): the caller vouches that the chain holds
     * {@code nodeCount} nodes (checked only under {@code assert}).
     */
    public void pushChain(long first, long last, long nodeCount) {
        requireNode(first);
        requireNode(last);
        if (nodeCount < 1) {
            throw ListErrors.badChainCount(nodeCount);
        }
        assert countChain(first, last) == nodeCount : "nodeCount=" + nodeCount + " disagrees with the chain";
        pushLinked(first, last, nodeCount);
    }

    /**
     * Detaches every node in one CAS and returns the former top, or 0 if the stack was empty.
     * The chain then belongs to the caller: follow it with {@link #next(long)} until 0. Walks the
     * chain once (O(length)) to keep the count exact.
     */
    public long popAll() {
        long head;
        do {
            head = headAcquire();
            if (addressOf(head) == 0) {
                return 0;
            }
        } while (!casHead(head, nextHead(head, 0)));
        long first = addressOf(head);
        addCount(-countChain(first, 0));
        return first;
    }

    /** Reads {@code node}'s next pointer: for walking a chain the caller owns. */
    public long next(long node) {
        requireNode(node);
        return nextUnchecked(node);
    }

    /** Writes {@code node}'s next pointer: for building a chain before {@link #pushChain}. */
    public void setNext(long node, long nextNode) {
        requireNode(node);
        if (nextNode != 0) {
            requireNode(nextNode);
        }
        Memory.putLong(node + nextOffset, nextNode);
    }

    // ---- queries --------------------------------------------------------------------------------

    public boolean isEmpty() {
        return addressOf(headAcquire()) == 0;
    }

    /** The node count: exact at rest, may lag operations in flight (never negative). */
    public long approximateSize() {
        return Math.max(0, (long) CELLS.getOpaque(cells, COUNT_INDEX));
    }

    /**
     * Walks the stack and checks that every node is valid and that the count matches. Only
     * meaningful while no other thread uses the stack.
     *
     * @return true, so that it can be used as {@code assert stack.checkInvariants()}
     * @throws IllegalStateException describing the first broken invariant
     */
    public boolean checkInvariants() {
        long count = (long) CELLS.getVolatile(cells, COUNT_INDEX);
        long seen = 0;
        for (long node = addressOf(headAcquire()); node != 0; node = nextUnchecked(node)) {
            if (!isValidNode(node)) {
                throw ListErrors.brokenStack("invalid node address", node, count);
            }
            if (++seen > count) {
                throw ListErrors.brokenStack("more nodes than the count (a cycle?)", node, count);
            }
        }
        if (seen != count) {
            throw ListErrors.brokenStack("chain length=" + seen + " differs from the count", 0, count);
        }
        return true;
    }

    @Override
    public String toString() {
        long head = headAcquire();
        return "TaggedStack[top=" + ListErrors.hex(addressOf(head)) + " tag=" + tagOf(head)
                + " approximateSize=" + approximateSize() + " nextOffset=" + nextOffset + "]";
    }

    /** The 16-bit tag of the head word (tests use it to see that it counts and wraps). */
    int tag() {
        return tagOf(headAcquire());
    }

    // ---- internals ------------------------------------------------------------------------------

    private void pushLinked(long first, long last, long nodeCount) {
        long lastNext = last + nextOffset;
        long head;
        do {
            head = headAcquire();
            Memory.putLong(lastNext, addressOf(head));
        } while (!casHead(head, nextHead(head, first)));
        addCount(nodeCount);
    }

    /** Counts the nodes from {@code first} through {@code last} (0: to the end), validating them. */
    private long countChain(long first, long last) {
        long count = 1;
        long node = first;
        long slow = first;
        while (node != last) {
            long next = nextUnchecked(node);
            if (next == 0 && last == 0) {
                return count;
            }
            if (!isValidNode(next) || next == slow) {
                throw ListErrors.unreachableChainLast(first, last, node);
            }
            if ((count & 1) == 0) {
                slow = nextUnchecked(slow);
            }
            node = next;
            count++;
        }
        return count;
    }

    private long headAcquire() {
        return (long) CELLS.getAcquire(cells, HEAD_INDEX);
    }

    /** The linearization point of every operation that changes the stack. */
    private boolean casHead(long expectedHead, long newHead) {
        return CELLS.compareAndSet(cells, HEAD_INDEX, expectedHead, newHead);
    }

    private void addCount(long delta) {
        CELLS.getAndAdd(cells, COUNT_INDEX, delta);
    }

    private long nextUnchecked(long node) {
        return Memory.getLong(node + nextOffset);
    }

    private static long nextHead(long head, long topNode) {
        return ((head + TAG_INCREMENT) & ~ADDRESS_MASK) | topNode;
    }

    private static long addressOf(long head) {
        return head & ADDRESS_MASK;
    }

    private static int tagOf(long head) {
        return (int) (head >>> ADDRESS_BITS);
    }

    private static boolean isValidNode(long node) {
        return node > 0 && node <= MAX_NODE_ADDRESS && ListErrors.isWordAligned(node);
    }

    private static void requireNode(long node) {
        if (!isValidNode(node)) {
            throw ListErrors.badStackNode(node, MAX_NODE_ADDRESS);
        }
    }
}
