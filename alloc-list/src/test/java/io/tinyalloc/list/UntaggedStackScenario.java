package io.tinyalloc.list;

import io.tinyalloc.sys.Memory;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A deliberately broken Treiber stack, the tagged stack minus its tag, run by Lincheck in
 * {@link TaggedStackLincheckTest} to prove that the harness can see ABA at all: if Lincheck ever
 * passed this one, a passing {@link TaggedStack} would mean nothing.
 */
@Param(name = "value", gen = IntGen.class, conf = "1:4")
public class UntaggedStackScenario {

    private final LincheckNodePool pool = new LincheckNodePool();
    private final AtomicLong head = new AtomicLong();

    @Operation
    public void push(@Param(name = "value") int value) {
        long node = pool.claim(value);
        long top;
        do {
            top = head.get();
            Memory.putLong(node + LincheckNodePool.NEXT_OFFSET, top);
        } while (!head.compareAndSet(top, node));
    }

    @Operation
    public Integer pop() {
        long top;
        do {
            top = head.get();
            if (top == 0) {
                return null;
            }
        } while (!head.compareAndSet(top, Memory.getLong(top + LincheckNodePool.NEXT_OFFSET)));
        return pool.release(top);
    }
}
