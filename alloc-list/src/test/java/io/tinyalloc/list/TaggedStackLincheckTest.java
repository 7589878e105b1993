package io.tinyalloc.list;

import kotlin.Unit;
import kotlin.reflect.KFunction;
import kotlin.reflect.jvm.ReflectJvmMapping;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.LincheckAssertionError;
import org.jetbrains.lincheck.datastructures.CustomScenarioDSLKt;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Linearizability of {@link TaggedStack} against a sequential stack, with Lincheck.
 *
 * <ul>
 *   <li>Model checking (small scenarios: 3 threads x 3 operations) explores interleavings at
 *       every access to the head word; it finds the ABA of a tag-less stack (see
 *       {@link #shouldCatchAbaInAStackWithoutATag}).</li>
 *   <li>Stress (larger scenarios: 3 threads x 6 operations) runs them on real threads.</li>
 * </ul>
 * Nodes are recycled through {@link LincheckNodePool}, so an address can come back to the top
 * while a slow pop still holds a stale snapshot of it. Lincheck does not see the off-heap reads
 * and writes themselves (only the on-heap head and pool flags), which is enough: the stack's
 * correctness hinges on its head CAS.
 */
@Param(name = "value", gen = IntGen.class, conf = "1:4")
public class TaggedStackLincheckTest {

    private final LincheckNodePool pool = new LincheckNodePool();
    private final TaggedStack stack = new TaggedStack(LincheckNodePool.NEXT_OFFSET);

    @Operation
    public void push(@Param(name = "value") int value) {
        stack.push(pool.claim(value));
    }

    @Operation
    public Integer pop() {
        long node = stack.pop();
        return node == 0 ? null : pool.release(node);
    }

    @Test
    void shouldBeLinearizableUnderModelChecking() {
        new ModelCheckingOptions()
                .iterations(12)
                .invocationsPerIteration(1_000)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(1)
                .addCustomScenario(abaScenario(TaggedStackLincheckTest.class))
                .sequentialSpecification(SequentialStack.class)
                .check(TaggedStackLincheckTest.class);
    }

    @Test
    void shouldBeLinearizableUnderStress() {
        new StressOptions()
                .iterations(20)
                .invocationsPerIteration(1_000)
                .threads(3)
                .actorsPerThread(6)
                .actorsBefore(4)
                .actorsAfter(4)
                .sequentialSpecification(SequentialStack.class)
                .check(TaggedStackLincheckTest.class);
    }

    @Test
    void shouldCatchAbaInAStackWithoutATag() {
        ModelCheckingOptions options = new ModelCheckingOptions()
                .iterations(0)
                .invocationsPerIteration(2_000)
                .addCustomScenario(abaScenario(UntaggedStackScenario.class))
                .sequentialSpecification(SequentialStack.class);
        assertThatThrownBy(() -> options.check(UntaggedStackScenario.class))
                .isInstanceOf(LincheckAssertionError.class)
                .hasMessageContaining("Invalid execution results");
    }

    /**
     * Two values on the stack; one thread pops (and may stall between reading the top and its
     * CAS), one pops both, one pushes. With lowest-free-first node reuse, the pushed node can be
     * the stalled pop's top again, with a different successor: the classic ABA.
     */
    private static ExecutionScenario abaScenario(Class<?> testClass) {
        KFunction<?> push = operation(testClass, "push", int.class);
        KFunction<?> pop = operation(testClass, "pop");
        return CustomScenarioDSLKt.scenario(builder -> {
            builder.initial(thread -> {
                thread.actor(push, 1);
                thread.actor(push, 2);
                return Unit.INSTANCE;
            });
            builder.parallel(parallel -> {
                parallel.thread(thread -> {
                    thread.actor(pop);
                    return Unit.INSTANCE;
                });
                parallel.thread(thread -> {
                    thread.actor(pop);
                    thread.actor(pop);
                    return Unit.INSTANCE;
                });
                parallel.thread(thread -> {
                    thread.actor(push, 3);
                    return Unit.INSTANCE;
                });
                return Unit.INSTANCE;
            });
            builder.post(thread -> {
                thread.actor(pop);
                thread.actor(pop);
                return Unit.INSTANCE;
            });
            return Unit.INSTANCE;
        });
    }

    private static KFunction<?> operation(Class<?> testClass, String name, Class<?>... parameterTypes) {
        try {
            return ReflectJvmMapping.getKotlinFunction(testClass.getMethod(name, parameterTypes));
        } catch (NoSuchMethodException e) {
            throw new AssertionError("no operation " + name + " in " + testClass, e);
        }
    }

    /** The specification: a plain stack; pop of an empty stack returns null. */
    public static final class SequentialStack {
        private final ArrayDeque<Integer> values = new ArrayDeque<>();

        public void push(int value) {
            values.push(value);
        }

        public Integer pop() {
            return values.poll();
        }
    }
}
