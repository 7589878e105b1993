/**
 * Linked structures over off-heap nodes, the building blocks of the allocator's queues and caches.
 *
 * <p>Nodes are blocks of native memory named by their absolute address (a {@code long}; 0 means
 * "no node"); the structures keep their links inside the nodes and allocate nothing per operation.
 * <ul>
 *   <li>{@link io.tinyalloc.list.IntrusiveList}: a doubly-linked list with O(1) insert, remove
 *       and membership test; each node carries a {@link io.tinyalloc.list.Link} at a fixed offset
 *       and belongs to at most one list. Single-threaded: callers lock.</li>
 *   <li>{@link io.tinyalloc.list.TaggedStack}: a lock-free Treiber stack with an ABA tag in its
 *       head word, with single-node and whole-chain (batch) push and pop.</li>
 * </ul>
 *
 * <p>Every method checks its addresses (non-zero, 8-byte aligned) and throws
 * {@link java.lang.IllegalArgumentException} naming them, leaving the structure unchanged, instead
 * of corrupting memory; beyond that the memory behind an address must be mapped, which only the
 * caller can know.
 */
package io.tinyalloc.list;
