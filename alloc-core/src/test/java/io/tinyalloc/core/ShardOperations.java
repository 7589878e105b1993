package io.tinyalloc.core;

import static io.tinyalloc.core.CacheShardLincheckTest.BATCH;
import static io.tinyalloc.core.CacheShardLincheckTest.SMALL_CAPACITY;

import java.util.Arrays;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;

/** The operations {@link CacheShardLincheckTest} runs on a {@link CacheShard}, and their sequential models. */
@Param(name = "classIndex", gen = IntGen.class, conf = "0:1")
@Param(name = "value", gen = IntGen.class, conf = "1:3")
public abstract class ShardOperations {

        private final OnHeapBackend[] backends = {new OnHeapBackend(), new OnHeapBackend()};
    private final CacheShard shard;

    ShardOperations(int capacity) {
        shard = new CacheShard(new int[] {capacity, capacity});
    }

    /** A thread cache flushing a batch {value, value + 10}: how many the shard took. */
    @Operation
    public int push(@Param(name = "classIndex") int classIndex, @Param(name = "value") int value) {
        return shard.push(classIndex, new long[] {value, value + 10}, 0, BATCH);
    }

    /** A thread cache refilling: up to a batch, deepest first. */
    @Operation
    public String pop(@Param(name = "classIndex") int classIndex) {
        long[] entries = new long[BATCH];
        int moved = shard.pop(classIndex, entries, 0, BATCH);
        return Arrays.toString(Arrays.copyOf(entries, moved));
    }

    /** A virtual thread's free. */
    @Operation
    public void pushOne(@Param(name = "classIndex") int classIndex, @Param(name = "value") int value) {
        shard.pushOne(classIndex, value, backends[classIndex]);
    }

    /** A virtual thread's malloc. */
    @Operation
    public long popOne(@Param(name = "classIndex") int classIndex) {
        return shard.popOne(0, classIndex, backends[classIndex]);
    }

    /** A virtual thread stealing. */
    @Operation
    public long tryPopOne(@Param(name = "classIndex") int classIndex) {
        return shard.tryPopOne(classIndex);
    }

    @Operation
    public int countHint(@Param(name = "classIndex") int classIndex) {
        return shard.countHint(classIndex);
    }

    /** Entries the shard has spilled to the backend so far. */
    @Operation
    public int spilled(@Param(name = "classIndex") int classIndex) {
        return backends[classIndex].received().size();
    }

    /** The operations on the small shard, for model checking. */
    @Param(name = "classIndex", gen = IntGen.class, conf = "0:1")
    @Param(name = "value", gen = IntGen.class, conf = "1:3")
    public static class SmallShard extends ShardOperations {
        public SmallShard() {
            super(SMALL_CAPACITY);
        }
    }

    /** The operations on a shard sized like the heap's for classes 0 and 1. */
    @Param(name = "classIndex", gen = IntGen.class, conf = "0:1")
    @Param(name = "value", gen = IntGen.class, conf = "1:3")
    public static class RealShard extends ShardOperations {
        public RealShard() {
            super(InterConnectCache.shardCapacity(0));
        }
    }

    /** The sequential specification: a bounded stack per class, the backend a counter. */
    public static class SmallShardModel {
        private final int capacity;
        private final long[][] stacks;
        private final int[] counts = new int[2];
        private final long[] nextValues = {OnHeapBackend.FIRST_VALUE, OnHeapBackend.FIRST_VALUE};
        private final int[] spilled = new int[2];

        public SmallShardModel() {
            this(SMALL_CAPACITY);
        }

        SmallShardModel(int capacity) {
            this.capacity = capacity;
            // Grown on demand: Lincheck's verifier keeps many model instances, and the heap's
            // capacities would make each of them tens of KiB.
            this.stacks = new long[2][Math.min(capacity, 8)];
        }

        /** Room in class c's stack for one more entry. */
        private long[] room(int classIndex) {
            long[] stack = stacks[classIndex];
            if (counts[classIndex] == stack.length) {
                stack = Arrays.copyOf(stack, Math.min(capacity, 2 * stack.length));
                stacks[classIndex] = stack;
            }
            return stack;
        }

        public int push(int classIndex, int value) {
            long[] batch = {value, value + 10};
            int taken = Math.min(BATCH, capacity - counts[classIndex]);
            for (int i = 0; i < taken; i++) {
                room(classIndex)[counts[classIndex]++] = batch[i];
            }
            return taken;
        }

        public String pop(int classIndex) {
            int moved = Math.min(BATCH, counts[classIndex]);
            counts[classIndex] -= moved;
            return Arrays.toString(Arrays.copyOfRange(stacks[classIndex], counts[classIndex],
                    counts[classIndex] + moved));
        }

        public void pushOne(int classIndex, int value) {
            if (counts[classIndex] == capacity) {
                int spill = Math.max(1, capacity / 2);
                System.arraycopy(stacks[classIndex], spill, stacks[classIndex], 0, capacity - spill);
                counts[classIndex] -= spill;
                spilled[classIndex] += spill;
            }
            room(classIndex)[counts[classIndex]++] = value;
        }

        public long popOne(int classIndex) {
            if (counts[classIndex] == 0) {
                for (int i = 0; i < Math.max(1, capacity / 2); i++) {
                    room(classIndex)[counts[classIndex]++] = nextValues[classIndex]++;
                }
            }
            return stacks[classIndex][--counts[classIndex]];
        }

        public long tryPopOne(int classIndex) {
            return counts[classIndex] == 0 ? 0 : stacks[classIndex][--counts[classIndex]];
        }

        public int countHint(int classIndex) {
            return counts[classIndex];
        }

        public int spilled(int classIndex) {
            return spilled[classIndex];
        }
    }

    /** The model with the heap's capacity. */
    public static class RealShardModel extends SmallShardModel {
        public RealShardModel() {
            super(InterConnectCache.shardCapacity(0));
        }
    }
}
