package io.tinyalloc.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyalloc.sys.Memory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The batch paths between the caches and the segments ({@link Segment#takeCached},
 * {@link Segment#freeCachedRun}): a refill pops the free list and then bumps in one pass, spans
 * segments, never follows a corrupted free-list node; a flush frees runs of entries per segment,
 * moves segments between lists and refuses exactly the entries that are not CACHED blocks.
 */
class ClassQueueBatchRunTest {

    private static final long KEY = 0x5A5A_1234_0F0F_7777L;

    private final QueueFixture fixture = new QueueFixture(KEY);

    @AfterEach
    void release() {
        fixture.close();
    }

    @Test
    void shouldPopTheFreeListFirstThenBumpInOneRefill() {
        ClassQueue queue = queue(48);
        long[] first = new long[100];
        assertThat(queue.allocateCached(first, 0, 100)).isEqualTo(100);
        long[] everyOther = new long[50];
        for (int i = 0; i < 50; i++) {
            everyOther[i] = first[2 * i];
        }
        assertThat(queue.freeCached(everyOther, 0, 50)).isZero();
        assertThat(queue.liveCount()).isEqualTo(50);

        long[] second = new long[80];
        assertThat(queue.allocateCached(second, 0, 80)).isEqualTo(80);
        Set<Long> freed = addresses(everyOther);
        int reused = 0;
        for (long entry : second) {
            assertCachedBlock(entry);
            reused += freed.contains(CacheEntry.address(entry)) ? 1 : 0;
        }
        assertThat(reused).as("every freed block came back before any bump").isEqualTo(50);
        assertThat(addresses(second)).hasSize(80).doesNotContainAnyElementsOf(addresses(oddOnes(first)));
        assertThat(queue.liveCount()).isEqualTo(130);
        assertThat(queue.segmentCount()).isEqualTo(1);
        assertThat(queue.check(true)).isTrue();
        assertThat(queue.freeCached(second, 0, 80)).isZero();
        assertThat(queue.freeCached(oddOnes(first), 0, 50)).isZero();
        assertThat(queue.liveCount()).isZero();
    }

    @Test
    void shouldSpanSegmentsOnRefillAndFreeShuffledRunsAcrossThemOnFlush() {
        ClassQueue queue = queue(16 * 1024);
        int perSegment = SizeClasses.blockCount(SizeClasses.classIndex(16 * 1024));
        int total = 3 * perSegment + 5;
        long[] entries = new long[total];
        assertThat(queue.allocateCached(entries, 0, total)).isEqualTo(total);
        assertThat(queue.segmentCount()).isEqualTo(4);
        assertThat(addresses(entries)).hasSize(total);
        for (long entry : entries) {
            assertCachedBlock(entry);
        }
        assertThat(queue.check(true)).isTrue();

        List<Long> shuffled = new ArrayList<>();
        for (long entry : entries) {
            shuffled.add(entry);
        }
        Collections.shuffle(shuffled, new Random(42));
        long[] flush = new long[total + 1];
        int bad = total / 2;
        for (int i = 0, j = 0; i < flush.length; i++) {
            flush[i] = i == bad ? CacheEntry.pack(CacheEntry.address(shuffled.get(0)) + 16, CacheEntry.index(shuffled.get(0)))
                    : shuffled.get(j++);
        }
        // Free in three slices so that segments go full -> partial -> empty across flushes.
        int refused = queue.freeCached(flush, 0, perSegment);
        assertThat(queue.check(true)).isTrue();
        refused += queue.freeCached(flush, perSegment, total + 1 - perSegment - 7);
        assertThat(queue.check(true)).isTrue();
        refused += queue.freeCached(flush, total + 1 - 7, 7);
        assertThat(refused).as("only the interior address is refused").isEqualTo(1);
        assertThat(queue.refusedCount()).isEqualTo(1);
        assertThat(queue.liveCount()).isZero();
        assertThat(queue.cachedStateCount()).isZero();
        assertThat(queue.check(true)).isTrue();
        queue.trim();
        assertThat(queue.segmentCount()).isZero();
    }

    @Test
    void shouldRefuseOnlyTheBadEntryInTheMiddleOfARun() {
        ClassQueue queue = queue(64);
        long[] entries = new long[5];
        queue.allocateCached(entries, 0, 5);
        long user = queue.allocate();
        long base = SegmentLayout.segmentBase(user);
        long[] flush = {entries[0], entries[1], CacheEntry.pack(user, Segment.blockIndex(base, user)), entries[2],
                entries[1], entries[3], entries[4]};
        assertThat(queue.freeCached(flush, 0, flush.length)).isEqualTo(2);
        assertThat(queue.liveCount()).isEqualTo(1);
        assertThat(queue.usableSize(user)).isEqualTo(64);
        for (long entry : entries) {
            assertThat(Segment.state(base, CacheEntry.index(entry))).isEqualTo(SegmentLayout.STATE_FREE);
        }
        assertThat(queue.free(user)).isNull();
        assertThat(queue.liveCount()).isZero();
    }

    @ParameterizedTest
    @ValueSource(longs = {8, 0})
    void shouldNotFollowACorruptedFreeListNodeOnARefill(long intoBlock) {
        ClassQueue queue = queue(32);
        long[] entries = new long[64];
        queue.allocateCached(entries, 0, 64);
        long base = SegmentLayout.segmentBase(CacheEntry.address(entries[0]));
        queue.freeCached(entries, 0, 64);
        long[] keep = new long[16];
        queue.allocateCached(keep, 0, 16);
        // A write after free: the free-list head's link now points into a block still cached
        // (8: into its middle; 0: at its start, which only its state byte tells from a free one).
        long head = Segment.freeHead(base);
        Memory.putLong(head, CacheEntry.address(keep[3]) + intoBlock);

        long[] refill = new long[100];
        assertThat(queue.allocateCached(refill, 0, 100)).isEqualTo(100);
        Set<Long> handedOut = addresses(refill);
        assertThat(handedOut).hasSize(100).doesNotContainAnyElementsOf(addresses(keep));
        for (long entry : refill) {
            assertCachedBlock(entry);
        }
        assertThat(queue.liveCount()).isEqualTo(116);
        assertThat(queue.check(true)).isTrue();
        assertThat(queue.freeCached(refill, 0, 100)).isZero();
        assertThat(queue.freeCached(keep, 0, 16)).isZero();
        assertThat(queue.liveCount()).isZero();
    }

    private ClassQueue queue(long blockSize) {
        return fixture.queueFor(blockSize);
    }

    private static void assertCachedBlock(long entry) {
        long address = CacheEntry.address(entry);
        long base = SegmentLayout.segmentBase(address);
        long index = CacheEntry.index(entry);
        assertThat(index).isLessThan(Segment.bumpIndex(base));
        assertThat(Segment.blockAddress(base, index)).isEqualTo(address);
        assertThat(Segment.state(base, index)).isEqualTo(SegmentLayout.STATE_CACHED);
    }

    private static Set<Long> addresses(long[] entries) {
        Set<Long> addresses = new HashSet<>();
        for (long entry : entries) {
            addresses.add(CacheEntry.address(entry));
        }
        return addresses;
    }

    private static long[] oddOnes(long[] entries) {
        long[] odd = new long[entries.length / 2];
        for (int i = 0; i < odd.length; i++) {
            odd[i] = entries[2 * i + 1];
        }
        return odd;
    }
}
