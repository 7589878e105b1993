/**
 * Single-thread comparisons with every peer in the same run: malloc + free pairs per size, batches
 * freed FIFO and LIFO, realloc growth and calloc. Naming convention (the report relies on it): a
 * method is a peer, except {@code nativeAllocator}, whose peer is its {@code allocator} parameter.
 */
package io.tinyalloc.bench.compare;
