package io.tinyalloc.sys.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A set of byte ranges {@code [start, end)} kept as disjoint, non-adjacent intervals: the
 * bookkeeping behind {@link FaultInjectingMapper}'s reserved and committed byte counts.
 *
 * <p>Invariant: {@code totalBytes == sum of (end - start) over the intervals}. Not thread-safe.
 */
final class RangeSet {

    /** start -> end. */
    private final TreeMap<Long, Long> intervals = new TreeMap<>();
    private long totalBytes;

    long totalBytes() {
        return totalBytes;
    }

    void add(long start, long byteSize) {
        long end = start + byteSize;
        remove(start, byteSize);
        Map.Entry<Long, Long> before = intervals.floorEntry(start);
        if (before != null && before.getValue() == start) {
            start = before.getKey();
            intervals.remove(start);
            totalBytes -= before.getValue() - before.getKey();
        }
        Long afterEnd = intervals.get(end);
        if (afterEnd != null) {
            intervals.remove(end);
            totalBytes -= afterEnd - end;
            end = afterEnd;
        }
        intervals.put(start, end);
        totalBytes += end - start;
    }

    void remove(long start, long byteSize) {
        long end = start + byteSize;
        for (long[] piece : intersection(start, byteSize)) {
            cut(piece[0], piece[1]);
        }
        assert overlapBytes(start, end - start) == 0;
    }

    /** Bytes of {@code [start, start + byteSize)} that are in the set. */
    long overlapBytes(long start, long byteSize) {
        long bytes = 0;
        for (long[] piece : intersection(start, byteSize)) {
            bytes += piece[1] - piece[0];
        }
        return bytes;
    }

    /** The parts of the set inside {@code [start, start + byteSize)}, as {start, end} pairs. */
    List<long[]> intersection(long start, long byteSize) {
        long end = start + byteSize;
        List<long[]> pieces = new ArrayList<>();
        Long first = intervals.floorKey(start);
        Map<Long, Long> candidates = intervals.subMap(first == null ? start : first, true, end, false);
        for (Map.Entry<Long, Long> interval : candidates.entrySet()) {
            long from = Math.max(start, interval.getKey());
            long to = Math.min(end, interval.getValue());
            if (from < to) {
                pieces.add(new long[] {from, to});
            }
        }
        return pieces;
    }

    /** Removes {@code [from, to)}, which lies inside one interval. */
    private void cut(long from, long to) {
        Map.Entry<Long, Long> interval = intervals.floorEntry(from);
        long start = interval.getKey();
        long end = interval.getValue();
        intervals.remove(start);
        if (start < from) {
            intervals.put(start, from);
        }
        if (to < end) {
            intervals.put(to, end);
        }
        totalBytes -= to - from;
    }
}
