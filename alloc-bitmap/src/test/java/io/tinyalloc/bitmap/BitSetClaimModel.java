package io.tinyalloc.bitmap;

import java.util.BitSet;

/**
 * The sequential specification of {@link AtomicBitmap} for Lincheck: the same operations on a
 * {@link BitSet}, one at a time, with claim taking the lowest clear bit (or run).
 */
abstract class BitSetClaimModel {

    private final int bitCount;
    private final BitSet bits = new BitSet();

    BitSetClaimModel(int bitCount, int claimedFromIndex, int claimedCount) {
        this.bitCount = bitCount;
        bits.set(claimedFromIndex, claimedFromIndex + claimedCount);
    }

    public int claim() {
        int index = bits.nextClearBit(0);
        if (index >= bitCount) {
            return -1;
        }
        bits.set(index);
        return index;
    }

    public int claimRun(int count) {
        for (int start = 0; start + count <= bitCount; start++) {
            int set = bits.nextSetBit(start);
            if (set < 0 || set >= start + count) {
                bits.set(start, start + count);
                return start;
            }
        }
        return -1;
    }

    public boolean tryClaim(int index) {
        if (bits.get(index)) {
            return false;
        }
        bits.set(index);
        return true;
    }

    public void release(int index) {
        if (!bits.get(index)) {
            throw new IllegalStateException("bit is not claimed: index=" + index + " bitCount=" + bitCount);
        }
        bits.clear(index);
    }

    public boolean get(int index) {
        return bits.get(index);
    }

    public int cardinality() {
        return bits.cardinality();
    }
}
