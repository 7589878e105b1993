package io.tinyalloc.bitmap;

import org.jetbrains.lincheck.datastructures.ManagedStrategyGuarantee;
import org.jetbrains.lincheck.datastructures.ManagedStrategyGuaranteeKt;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.StressOptions;

/**
 * Lincheck options for structures in native memory.
 *
 * <p>Lincheck's model checker switches threads only at shared-memory events it recognizes
 * (fields, arrays, atomics). Access through {@link io.tinyalloc.sys.Memory} ends in a
 * {@code MemorySegment} VarHandle inside the JDK, which it does not recognize: without help it
 * never switches threads between two {@code Memory} calls and passes racy code (a read-then-write
 * "claim" passed model checking; only stress mode caught it). Treating every {@code Memory} method
 * as one atomic event puts a switch point before each call, which is exactly the granularity of
 * the hardware operations underneath.
 */
final class OffHeapLincheck {

    private OffHeapLincheck() {
    }

    static ManagedStrategyGuarantee memoryCallsAreAtomicEvents() {
        return ManagedStrategyGuaranteeKt.forClasses("io.tinyalloc.sys.Memory").allMethods().treatAsAtomic();
    }

    /** Small scenarios, explored exhaustively enough to run in a few seconds on two cores. */
    static ModelCheckingOptions modelChecking() {
        return new ModelCheckingOptions()
                .addGuarantee(memoryCallsAreAtomicEvents())
                .iterations(10)
                .invocationsPerIteration(300)
                .threads(2)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(1);
    }

    /** Real threads on the real memory; kept short because a busy 2-core machine slows it most. */
    static StressOptions stress() {
        return new StressOptions()
                .iterations(5)
                .invocationsPerIteration(500)
                .threads(2)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(1);
    }
}
