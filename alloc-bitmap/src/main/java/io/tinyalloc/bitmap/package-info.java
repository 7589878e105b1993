/**
 * Bitmaps over 64-bit words.
 *
 * <ul>
 *   <li>{@link io.tinyalloc.bitmap.Bitmap}: the single-threaded interface (get/set/clear/flip,
 *       ranges, searches for set and clear bits and for runs of clear bits, cardinality), with
 *       {@link io.tinyalloc.bitmap.OffHeapBitmap} over native memory and
 *       {@link io.tinyalloc.bitmap.LongArrayBitmap} over a {@code long[]}.</li>
 *   <li>{@link io.tinyalloc.bitmap.AtomicBitmap}: slots shared between threads, claimed and
 *       released with CAS; its class comment says exactly which operations are linearizable.</li>
 *   <li>{@link io.tinyalloc.bitmap.BitmapLayout}: the word layout all of them share.</li>
 * </ul>
 *
 * <p>Bad arguments throw {@link java.lang.IndexOutOfBoundsException} or
 * {@link java.lang.IllegalArgumentException} with the values in the message, and leave the
 * bitmap unchanged.
 */
package io.tinyalloc.bitmap;
