package io.tinyalloc.array;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class FixedArrayTest {

    @Test
    void shouldStartEmptyWithItsCapacity() {
        FixedArray<String> array = new FixedArray<>(3);

        assertThat(array.capacity()).isEqualTo(3);
        assertThat(array.size()).isZero();
        assertThat(array.isEmpty()).isTrue();
        assertThat(array.isFull()).isFalse();
        assertThat(array).isEmpty();
        assertThat(array.toString()).isEqualTo("[]");
    }

    @Test
    void shouldPushPopGetAndSetLikeAStackWithIndexes() {
        FixedArray<String> array = new FixedArray<>(3);
        array.push("a");
        array.push("b");
        array.push("c");

        assertThat(array.isFull()).isTrue();
        assertThat(array.get(0)).isEqualTo("a");
        assertThat(array.set(1, "B")).isEqualTo("b");
        assertThat(array).containsExactly("a", "B", "c");
        assertThat(array.toString()).isEqualTo("[a, B, c]");
        assertThat(array.pop()).isEqualTo("c");
        assertThat(array.pop()).isEqualTo("B");
        assertThat(array.size()).isEqualTo(1);
    }

    @Test
    void shouldAllowNullElements() {
        FixedArray<String> array = new FixedArray<>(2);
        array.push(null);
        array.push("x");

        assertThat(array).containsExactly(null, "x");
        assertThat(array.toString()).isEqualTo("[null, x]");
        assertThat(array.pop()).isEqualTo("x");
        assertThat(array.pop()).isNull();
    }

    @Test
    void shouldLetGoOfPoppedAndClearedElements() throws Exception {
        FixedArray<Object> array = new FixedArray<>(3);
        array.push(new Object());
        array.push(new Object());
        array.pop();
        Object[] slots = slotsOf(array);
        assertThat(slots[1]).isNull();

        array.clear();

        assertThat(slots).containsOnlyNulls();
        assertThat(array.isEmpty()).isTrue();
    }

    @Test
    void shouldIterateFromIndexZeroAndRefuseToGoPastTheEnd() {
        FixedArray<Integer> array = new FixedArray<>(4);
        array.push(1);
        array.push(2);
        Iterator<Integer> iterator = array.iterator();

        assertThat(iterator.next()).isEqualTo(1);
        assertThat(iterator.next()).isEqualTo(2);
        assertThat(iterator.hasNext()).isFalse();
        assertThatThrownBy(iterator::next).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(iterator::remove).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void shouldWorkWithZeroCapacity() {
        FixedArray<String> array = new FixedArray<>(0);

        assertThat(array.isFull()).isTrue();
        assertThatThrownBy(() -> array.push("a")).isInstanceOf(InsufficientCapacityException.class);
    }

    @Test
    void shouldRejectPushWhenFullWithoutChangingAnything() {
        FixedArray<String> array = new FixedArray<>(1);
        array.push("a");

        assertThatThrownBy(() -> array.push("b"))
                .isInstanceOf(InsufficientCapacityException.class)
                .hasMessage("insufficient capacity: requested=1 size=1 capacity=1");
        assertThat(array).containsExactly("a");
    }

    @Test
    void shouldRejectPopWhenEmpty() {
        FixedArray<String> array = new FixedArray<>(2);

        assertThatThrownBy(array::pop)
                .isInstanceOf(NoSuchElementException.class)
                .hasMessage("not enough elements: requested=1 size=0 capacity=2");
    }

    @Test
    void shouldRejectIndexesOutsideTheElementsHeldWithoutChangingAnything() {
        FixedArray<String> array = new FixedArray<>(5);
        array.push("a");

        assertThatThrownBy(() -> array.get(1))
                .isInstanceOf(OutOfBoundsException.class).hasMessage("index=1 length=1 capacity=5");
        assertThatThrownBy(() -> array.set(-1, "x"))
                .isInstanceOf(OutOfBoundsException.class).hasMessage("index=-1 length=1 capacity=5");
        assertThatThrownBy(() -> array.set(4, "x")).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(array).containsExactly("a");
    }

    @Test
    void shouldRejectANegativeCapacity() {
        assertThatThrownBy(() -> new FixedArray<String>(-3))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("capacity must be >= 0: capacity=-3");
    }

    private static Object[] slotsOf(FixedArray<?> array) throws ReflectiveOperationException {
        var field = FixedArray.class.getDeclaredField("elements");
        field.setAccessible(true);
        return (Object[]) field.get(array);
    }
}
