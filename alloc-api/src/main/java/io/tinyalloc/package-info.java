/**
 * TinyAlloc: an off-heap memory allocator for the JVM.
 *
 * <ul>
 *   <li>{@link io.tinyalloc.Allocator}: malloc, calloc, realloc, aligned allocation, free, usable
 *       size; segments ({@link java.lang.foreign.SegmentAllocator}) and arenas
 *       ({@link java.lang.foreign.Arena}) over the same memory.</li>
 *   <li>{@link io.tinyalloc.Allocator#global()}, configured by {@code tinyalloc.*} system
 *       properties and {@code TINYALLOC_*} environment variables, or independent instances from
 *       {@link io.tinyalloc.AllocatorBuilder}.</li>
 *   <li>Errors: {@link io.tinyalloc.InvalidAddressException} for addresses the allocator refuses
 *       (checked before anything is touched), {@link io.tinyalloc.TinyAllocOutOfMemoryError} when
 *       memory cannot be had.</li>
 *   <li>{@link io.tinyalloc.AllocatorStats}: counters of live, committed, reserved and cached
 *       memory.</li>
 * </ul>
 */
package io.tinyalloc;
