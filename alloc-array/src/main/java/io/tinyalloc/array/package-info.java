/**
 * Fixed-capacity arrays; none of them ever grows.
 *
 * <ul>
 *   <li>{@link io.tinyalloc.array.FixedArray}: objects, push/pop at the end, indexed access.</li>
 *   <li>{@link io.tinyalloc.array.FixedLongStack}: a stack of {@code long} values (addresses), the
 *       shape of a thread-cache bin, with {@code tryPush}/{@code popOrZero} as the fast path and
 *       all-or-nothing batch moves; {@link io.tinyalloc.array.LongStack} keeps it in a
 *       {@code long[]}, {@link io.tinyalloc.array.OffHeapLongStack} in native memory laid out as
 *       {@link io.tinyalloc.array.LongStackLayout} describes.</li>
 * </ul>
 *
 * <p>Errors carry their values: {@link io.tinyalloc.array.OutOfBoundsException} (index, length,
 * capacity), {@link io.tinyalloc.array.InsufficientCapacityException} (requested, size, capacity),
 * {@link java.util.NoSuchElementException} for a pop with too few elements. Nothing changes after
 * an error.
 */
package io.tinyalloc.array;
