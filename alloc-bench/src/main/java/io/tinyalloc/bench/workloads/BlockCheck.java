package io.tinyalloc.bench.workloads;

import io.tinyalloc.sys.Memory;

/**
 * Stamps that the workloads write into their blocks and check before freeing them. A stamp covers
 * the first word and (for blocks longer than a word) the last byte, so a block handed out twice, or
 * shorter than asked for, shows up as soon as its owner frees it. Blocks are at least 8 bytes in
 * every workload that stamps them.
 */
final class BlockCheck {

    /** Mixed into tags so that a zeroed or recycled word does not look like a valid stamp. */
    static final long COOKIE = 0x5DEECE66D1B0C0DEL;

    private BlockCheck() {
    }

    static void stamp(long address, long byteSize, long tag) {
        Memory.putLong(address, tag ^ COOKIE);
        if (byteSize > Long.BYTES) {
            Memory.putByte(address + byteSize - 1, (byte) tag);
        }
    }

    static void verify(String kernel, long address, long byteSize, long tag) {
        long first = Memory.getLong(address);
        if (first != (tag ^ COOKIE)) {
            throw WorkloadErrors.corrupted(kernel, address, 0, tag ^ COOKIE, first);
        }
        if (byteSize <= Long.BYTES) {
            return;
        }
        byte last = Memory.getByte(address + byteSize - 1);
        if (last != (byte) tag) {
            throw WorkloadErrors.corrupted(kernel, address, byteSize - 1, (byte) tag, last);
        }
    }

    /** A stamp that carries its own check (the tag, and its complement in the last word). */
    static void stampSelfChecking(long address, long byteSize, long tag) {
        Memory.putLong(address, tag);
        Memory.putLong(address + byteSize - Long.BYTES, ~tag);
    }

    static void verifySelfChecking(String kernel, long address, long byteSize) {
        long tag = Memory.getLong(address);
        long check = Memory.getLong(address + byteSize - Long.BYTES);
        if (check != ~tag) {
            throw WorkloadErrors.corrupted(kernel, address, byteSize - Long.BYTES, ~tag, check);
        }
    }

    /** As {@link #verifySelfChecking(String, long, long)}, and the tag must be {@code expectedTag}. */
    static void verifySelfChecking(String kernel, long address, long byteSize, long expectedTag) {
        long tag = Memory.getLong(address);
        if (tag != expectedTag) {
            throw WorkloadErrors.corrupted(kernel, address, 0, expectedTag, tag);
        }
        verifySelfChecking(kernel, address, byteSize);
    }

    static void verifyZeroed(String kernel, long address, long byteSize) {
        if (!Memory.isFilledWith(address, byteSize, (byte) 0)) {
            throw WorkloadErrors.notZeroed(kernel, address, byteSize);
        }
    }
}
