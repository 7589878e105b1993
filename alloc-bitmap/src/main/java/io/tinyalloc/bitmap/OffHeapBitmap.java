package io.tinyalloc.bitmap;

import io.tinyalloc.sys.Memory;

/**
 * A {@link Bitmap} over 64-bit words in native memory at {@code address}, laid out as
 * {@link BitmapLayout} describes; for bitmaps that live inside off-heap structures (segment
 * headers, arena page maps). Single-threaded: plain loads and stores.
 *
 * <p>This object is a view: the caller owns the memory ({@link #byteSizeFor(int)} bytes, 8-byte
 * aligned) and keeps it alive while the view is used. The constructor does not touch the words,
 * so a view can be re-created over a bitmap written earlier; zeroed memory (a fresh mapping, or
 * {@code Arena.allocate}) is an empty bitmap, anything else must be initialized with
 * {@link #clearAll()} first.
 *
 * <p>Invariant: {@code address != 0 && address % 8 == 0}, plus those of {@link WordBitmap}.
 */
public final class OffHeapBitmap extends WordBitmap {

    private final long address;

    public OffHeapBitmap(long address, int bitCount) {
        super(bitCount);
        BitmapErrors.checkAddress(address);
        this.address = address;
        assert tailIsClear() : "tail bits set: memory was not initialized, address=0x" + Long.toHexString(address);
    }

    /** Bytes of memory a bitmap of {@code bitCount} bits needs: {@code 8 * ceil(bitCount / 64)}. */
    public static long byteSizeFor(int bitCount) {
        return BitmapLayout.byteSizeFor(bitCount);
    }

    /** Absolute address of word 0. */
    public long address() {
        return address;
    }

    @Override
    long loadWord(int wordIndex) {
        return Memory.getLong(address + BitmapLayout.wordOffset(wordIndex));
    }

    @Override
    void storeWord(int wordIndex, long word) {
        Memory.putLong(address + BitmapLayout.wordOffset(wordIndex), word);
    }
}
