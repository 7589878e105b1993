/**
 * The allocator's engine. Size classes, segments, arenas, the page map and large mappings live
 * here; the public API in {@code io.tinyalloc} is the only intended client.
 */
package io.tinyalloc.core;
