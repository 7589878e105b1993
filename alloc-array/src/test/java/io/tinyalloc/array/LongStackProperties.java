package io.tinyalloc.array;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Random operation sequences on both long stacks with {@link ArrayDeque} (used as a stack:
 * addLast/removeLast) as the model. Arguments reach a little past the valid ranges so that full,
 * empty and out-of-range cases happen often; after every step, errors included, the stack must
 * equal the model.
 */
class LongStackProperties {

    enum Storage { ON_HEAP, OFF_HEAP }

    enum Kind { PUSH, TRY_PUSH, POP, POP_OR_ZERO, PEEK, GET, SET, CLEAR, PUSH_ALL, POP_INTO }

    /** One step: {@code value} to store; {@code a}, {@code b} raw numbers mapped onto the sizes. */
    record Step(Kind kind, long value, int a, int b) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Long> values = Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.of(0L, -1L, Long.MIN_VALUE));
        Arbitrary<Integer> raw = Arbitraries.integers().between(0, 1 << 16);
        return Combinators.combine(Arbitraries.of(Kind.class), values, raw, raw).as(Step::new)
                .list().ofMinSize(1).ofMaxSize(80);
    }

    @Property(tries = 400)
    void shouldBehaveLikeADequeUsedAsAStack(@ForAll Storage storage, @ForAll @IntRange(min = 0, max = 12) int capacity,
                                            @ForAll("steps") List<Step> steps) {
        try (Arena arena = Arena.ofConfined()) {
            FixedLongStack stack = storage == Storage.ON_HEAP
                    ? new LongStack(capacity)
                    : OffHeapLongStack.format(arena.allocate(OffHeapLongStack.byteSizeFor(capacity), 8).address(), capacity);
            ArrayDeque<Long> model = new ArrayDeque<>();
            for (Step step : steps) {
                apply(step, stack, model, capacity);
                assertThat(FixedLongStackSpec.contents(stack)).as("after %s", step).containsExactlyElementsOf(model);
                assertThat(stack.size()).isEqualTo(model.size());
                assertThat(stack.isEmpty()).isEqualTo(model.isEmpty());
                assertThat(stack.isFull()).isEqualTo(model.size() == capacity);
            }
        }
    }

    private static void apply(Step step, FixedLongStack stack, ArrayDeque<Long> model, int capacity) {
        int index = Math.floorMod(step.a(), capacity + 3) - 1;
        int count = Math.floorMod(step.b(), capacity + 3) - 1;
        switch (step.kind()) {
            case PUSH -> {
                if (model.size() < capacity) {
                    stack.push(step.value());
                    model.addLast(step.value());
                } else {
                    assertThatThrownBy(() -> stack.push(step.value())).isInstanceOf(InsufficientCapacityException.class);
                }
            }
            case TRY_PUSH -> {
                boolean fits = model.size() < capacity;
                assertThat(stack.tryPush(step.value())).isEqualTo(fits);
                if (fits) {
                    model.addLast(step.value());
                }
            }
            case POP -> {
                if (model.isEmpty()) {
                    assertThatThrownBy(stack::pop).isInstanceOf(NoSuchElementException.class);
                } else {
                    assertThat(stack.pop()).isEqualTo(model.removeLast());
                }
            }
            case POP_OR_ZERO -> assertThat(stack.popOrZero()).isEqualTo(model.isEmpty() ? 0L : model.removeLast());
            case PEEK -> {
                if (model.isEmpty()) {
                    assertThatThrownBy(stack::peek).isInstanceOf(NoSuchElementException.class);
                } else {
                    assertThat(stack.peek()).isEqualTo(model.peekLast());
                }
            }
            case GET -> {
                if (index >= 0 && index < model.size()) {
                    assertThat(stack.get(index)).isEqualTo(new ArrayList<>(model).get(index));
                } else {
                    assertThatThrownBy(() -> stack.get(index)).isInstanceOf(OutOfBoundsException.class)
                            .hasMessage("index=" + index + " length=" + model.size() + " capacity=" + capacity);
                }
            }
            case SET -> {
                if (index >= 0 && index < model.size()) {
                    stack.set(index, step.value());
                    List<Long> values = new ArrayList<>(model);
                    values.set(index, step.value());
                    model.clear();
                    model.addAll(values);
                } else {
                    assertThatThrownBy(() -> stack.set(index, step.value())).isInstanceOf(OutOfBoundsException.class);
                }
            }
            case CLEAR -> {
                stack.clear();
                model.clear();
            }
            case PUSH_ALL -> pushAll(step, stack, model, capacity, count);
            case POP_INTO -> popInto(stack, model, count);
        }
    }

    private static void pushAll(Step step, FixedLongStack stack, ArrayDeque<Long> model, int capacity, int count) {
        long[] source = new long[Math.max(count, 0) + 2];
        Arrays.fill(source, step.value());
        for (int index = 0; index < source.length; index++) {
            source[index] += index;
        }
        if (count < 0) {
            assertThatThrownBy(() -> stack.pushAll(source, 1, count)).isInstanceOf(IllegalArgumentException.class);
        } else if (model.size() + count > capacity) {
            assertThatThrownBy(() -> stack.pushAll(source, 1, count)).isInstanceOf(InsufficientCapacityException.class)
                    .hasMessage("insufficient capacity: requested=" + count + " size=" + model.size() + " capacity=" + capacity);
        } else {
            stack.pushAll(source, 1, count);
            for (int index = 1; index <= count; index++) {
                model.addLast(source[index]);
            }
        }
    }

    private static void popInto(FixedLongStack stack, ArrayDeque<Long> model, int count) {
        long[] target = new long[Math.max(count, 0) + 1];
        if (count < 0) {
            assertThatThrownBy(() -> stack.popInto(target, 1, count)).isInstanceOf(IllegalArgumentException.class);
        } else if (count > model.size()) {
            assertThatThrownBy(() -> stack.popInto(target, 1, count)).isInstanceOf(NoSuchElementException.class);
            assertThat(target).containsOnly(0L);
        } else {
            stack.popInto(target, 1, count);
            long[] expected = new long[count];
            for (int index = count - 1; index >= 0; index--) {
                expected[index] = model.removeLast();
            }
            assertThat(Arrays.copyOfRange(target, 1, 1 + count)).containsExactly(expected);
        }
    }
}
