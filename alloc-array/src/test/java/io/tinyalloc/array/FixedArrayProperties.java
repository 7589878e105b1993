package io.tinyalloc.array;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
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
 * Random operation sequences on {@link FixedArray} with {@link ArrayList} as the model (push =
 * add at the end, pop = remove the last). Errors must leave the array equal to the model.
 */
class FixedArrayProperties {

    enum Kind { PUSH, POP, GET, SET, CLEAR }

    record Step(Kind kind, String value, int rawIndex) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<String> values = Arbitraries.strings().alpha().ofMaxLength(3).injectNull(0.1);
        return Combinators.combine(Arbitraries.of(Kind.class), values, Arbitraries.integers().between(0, 1 << 16))
                .as(Step::new).list().ofMaxSize(60);
    }

    @Property(tries = 300)
    void shouldBehaveLikeAnArrayListWithACapacityLimit(@ForAll @IntRange(min = 0, max = 10) int capacity,
                                                      @ForAll("steps") List<Step> steps) {
        FixedArray<String> array = new FixedArray<>(capacity);
        List<String> model = new ArrayList<>();
        for (Step step : steps) {
            apply(step, array, model, capacity);
            assertThat(array).as("after %s", step).containsExactlyElementsOf(model);
            assertThat(array.size()).isEqualTo(model.size());
            assertThat(array.isFull()).isEqualTo(model.size() == capacity);
            assertThat(array.toString()).isEqualTo(model.toString());
        }
    }

    private static void apply(Step step, FixedArray<String> array, List<String> model, int capacity) {
        int index = Math.floorMod(step.rawIndex(), capacity + 3) - 1;
        switch (step.kind()) {
            case PUSH -> {
                if (model.size() < capacity) {
                    array.push(step.value());
                    model.add(step.value());
                } else {
                    assertThatThrownBy(() -> array.push(step.value())).isInstanceOf(InsufficientCapacityException.class);
                }
            }
            case POP -> {
                if (model.isEmpty()) {
                    assertThatThrownBy(array::pop).isInstanceOf(NoSuchElementException.class);
                } else {
                    assertThat(array.pop()).isEqualTo(model.removeLast());
                }
            }
            case GET -> {
                if (index >= 0 && index < model.size()) {
                    assertThat(array.get(index)).isEqualTo(model.get(index));
                } else {
                    assertThatThrownBy(() -> array.get(index)).isInstanceOf(OutOfBoundsException.class);
                }
            }
            case SET -> {
                if (index >= 0 && index < model.size()) {
                    assertThat(array.set(index, step.value())).isEqualTo(model.set(index, step.value()));
                } else {
                    assertThatThrownBy(() -> array.set(index, step.value())).isInstanceOf(OutOfBoundsException.class);
                }
            }
            case CLEAR -> {
                array.clear();
                model.clear();
            }
        }
    }
}
