package io.tinyalloc.core;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * Linearizability of an ICC {@link CacheShard} against a sequential model, with Lincheck: batch
 * push and pop (thread caches), single-entry push with spill and pop with refill (virtual threads),
 * the steal probe, and the lock-free count hint.
 *
 * <ul>
 *   <li>Model checking on a small shard (2 classes, 4 entries each, batches of 2), where the
 *       scenarios reach the full and empty edges that make a shard spill to and refill from its
 *       backend.</li>
 *   <li>Stress on a shard of the heap's real capacities for classes 0 and 1, on real threads.</li>
 * </ul>
 * The backend is an {@link OnHeapBackend} per class that hands out 1000, 1001, ... so that every
 * result is deterministic for the model.
 */
class CacheShardLincheckTest {

    static final int SMALL_CAPACITY = 4;
    static final int BATCH = 2;

    @Test
    void shouldBeLinearizableUnderModelChecking() {
        new ModelCheckingOptions()
                .iterations(20)
                .invocationsPerIteration(500)
                .threads(2)
                .actorsPerThread(3)
                .actorsBefore(3)
                .actorsAfter(2)
                .sequentialSpecification(ShardOperations.SmallShardModel.class)
                .check(ShardOperations.SmallShard.class);
    }

    @Test
    void shouldBeLinearizableUnderStressWithTheHeapsCapacities() {
        new StressOptions()
                .iterations(15)
                .invocationsPerIteration(1_000)
                .threads(3)
                .actorsPerThread(5)
                .actorsBefore(3)
                .actorsAfter(3)
                .sequentialSpecification(ShardOperations.RealShardModel.class)
                .check(ShardOperations.RealShard.class);
    }
}
