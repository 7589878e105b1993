package io.tinyalloc.array;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** The contract of {@link FixedLongStack}, run once per implementation. */
abstract class FixedLongStackSpec {

    abstract FixedLongStack create(int capacity);

    static List<Long> contents(FixedLongStack stack) {
        List<Long> values = new ArrayList<>();
        stack.forEach(values::add);
        return values;
    }

    @Test
    void shouldStartEmptyWithItsCapacity() {
        FixedLongStack stack = create(4);

        assertThat(stack.capacity()).isEqualTo(4);
        assertThat(stack.size()).isZero();
        assertThat(stack.isEmpty()).isTrue();
        assertThat(stack.isFull()).isFalse();
        assertThat(stack.popOrZero()).isZero();
    }

    @Test
    void shouldPopInReverseOrderOfPush() {
        FixedLongStack stack = create(3);
        stack.push(10);
        stack.push(20);
        stack.push(30);

        assertThat(stack.isFull()).isTrue();
        assertThat(stack.peek()).isEqualTo(30);
        assertThat(stack.pop()).isEqualTo(30);
        assertThat(stack.pop()).isEqualTo(20);
        assertThat(stack.pop()).isEqualTo(10);
        assertThat(stack.isEmpty()).isTrue();
    }

    @Test
    void shouldTryPushUntilFullAndPopOrZeroUntilEmpty() {
        FixedLongStack stack = create(2);

        assertThat(stack.tryPush(0x7f00_0000_1000L)).isTrue();
        assertThat(stack.tryPush(0x7f00_0000_2000L)).isTrue();
        assertThat(stack.tryPush(0x7f00_0000_3000L)).isFalse();
        assertThat(contents(stack)).containsExactly(0x7f00_0000_1000L, 0x7f00_0000_2000L);

        assertThat(stack.popOrZero()).isEqualTo(0x7f00_0000_2000L);
        assertThat(stack.popOrZero()).isEqualTo(0x7f00_0000_1000L);
        assertThat(stack.popOrZero()).isZero();
        assertThat(stack.size()).isZero();
    }

    @Test
    void shouldHoldAnyLongIncludingNegativeOnes() {
        FixedLongStack stack = create(3);
        stack.push(Long.MIN_VALUE);
        stack.push(-1);
        stack.push(Long.MAX_VALUE);

        assertThat(contents(stack)).containsExactly(Long.MIN_VALUE, -1L, Long.MAX_VALUE);
    }

    @Test
    void shouldGetAndSetFromTheBottom() {
        FixedLongStack stack = create(4);
        stack.push(1);
        stack.push(2);
        stack.push(3);

        stack.set(0, 100);

        assertThat(stack.get(0)).isEqualTo(100);
        assertThat(stack.get(2)).isEqualTo(3);
        assertThat(contents(stack)).containsExactly(100L, 2L, 3L);
    }

    @Test
    void shouldForgetEverythingOnClear() {
        FixedLongStack stack = create(4);
        stack.push(1);
        stack.push(2);

        stack.clear();

        assertThat(stack.isEmpty()).isTrue();
        assertThat(stack.popOrZero()).isZero();
        assertThat(stack.tryPush(9)).isTrue();
        assertThat(contents(stack)).containsExactly(9L);
    }

    @Test
    void shouldPushASliceWithItsLastElementOnTop() {
        FixedLongStack stack = create(5);
        stack.push(1);

        stack.pushAll(new long[] {7, 2, 3, 4, 7}, 1, 3);

        assertThat(contents(stack)).containsExactly(1L, 2L, 3L, 4L);
        assertThat(stack.peek()).isEqualTo(4);
    }

    @Test
    void shouldPopTheTopIntoASliceSoThatPushAllRestoresIt() {
        FixedLongStack stack = create(5);
        stack.pushAll(new long[] {1, 2, 3, 4, 5}, 0, 5);
        long[] batch = new long[6];

        stack.popInto(batch, 2, 3);

        assertThat(batch).containsExactly(0, 0, 3, 4, 5, 0);
        assertThat(contents(stack)).containsExactly(1L, 2L);

        stack.pushAll(batch, 2, 3);
        assertThat(contents(stack)).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void shouldMoveEmptyBatchesWithoutChange() {
        FixedLongStack stack = create(1);
        stack.push(5);

        stack.pushAll(new long[0], 0, 0);
        stack.popInto(new long[2], 2, 0);

        assertThat(contents(stack)).containsExactly(5L);
    }

    @Test
    void shouldWorkWithZeroCapacity() {
        FixedLongStack stack = create(0);

        assertThat(stack.isEmpty()).isTrue();
        assertThat(stack.isFull()).isTrue();
        assertThat(stack.tryPush(1)).isFalse();
        assertThat(stack.popOrZero()).isZero();
    }

    @Test
    void shouldDescribeItselfWithSizeCapacityAndHexValues() {
        FixedLongStack stack = create(40);
        stack.push(0x7f10);
        stack.push(0x7f20);

        assertThat(stack.toString()).endsWith("[size=2 capacity=40: 0x7f10, 0x7f20]");

        for (int index = 0; index < 20; index++) {
            stack.push(index);
        }
        assertThat(stack.toString()).contains("size=22").endsWith(", ...]");
    }

    // ---- errors -------------------------------------------------------------------------------

    @Test
    void shouldRejectPushOnAFullStackNamingRequestedSizeAndCapacity() {
        FixedLongStack stack = create(2);
        stack.push(1);
        stack.push(2);

        assertThatThrownBy(() -> stack.push(3))
                .isInstanceOfSatisfying(InsufficientCapacityException.class, e -> {
                    assertThat(e.requested()).isEqualTo(1);
                    assertThat(e.size()).isEqualTo(2);
                    assertThat(e.capacity()).isEqualTo(2);
                })
                .hasMessage("insufficient capacity: requested=1 size=2 capacity=2");
        assertThat(contents(stack)).containsExactly(1L, 2L);
    }

    @Test
    void shouldRejectPopAndPeekOnAnEmptyStack() {
        FixedLongStack stack = create(2);

        assertThatThrownBy(stack::pop)
                .isInstanceOf(NoSuchElementException.class)
                .hasMessage("not enough elements: requested=1 size=0 capacity=2");
        assertThatThrownBy(stack::peek).isInstanceOf(NoSuchElementException.class);
        assertThat(stack.size()).isZero();
    }

    @Test
    void shouldRejectIndexesOutsideTheElementsHeld() {
        FixedLongStack stack = create(8);
        stack.push(1);
        stack.push(2);
        stack.push(3);

        assertThatThrownBy(() -> stack.get(3))
                .isInstanceOfSatisfying(OutOfBoundsException.class, e -> {
                    assertThat(e.index()).isEqualTo(3);
                    assertThat(e.length()).isEqualTo(3);
                    assertThat(e.capacity()).isEqualTo(8);
                })
                .hasMessage("index=3 length=3 capacity=8");
        assertThatThrownBy(() -> stack.get(-1)).isInstanceOf(OutOfBoundsException.class);
        assertThatThrownBy(() -> stack.set(5, 9)).isInstanceOf(OutOfBoundsException.class)
                .hasMessage("index=5 length=3 capacity=8");
        assertThat(contents(stack)).containsExactly(1L, 2L, 3L);
    }

    @Test
    void shouldRejectABatchThatDoesNotFitWithoutPushingAnyOfIt() {
        FixedLongStack stack = create(4);
        stack.push(1);
        stack.push(2);

        assertThatThrownBy(() -> stack.pushAll(new long[] {3, 4, 5}, 0, 3))
                .isInstanceOf(InsufficientCapacityException.class)
                .hasMessage("insufficient capacity: requested=3 size=2 capacity=4");
        assertThat(contents(stack)).containsExactly(1L, 2L);
    }

    @Test
    void shouldRejectPoppingMoreThanItHoldsWithoutPoppingAny() {
        FixedLongStack stack = create(4);
        stack.push(1);
        stack.push(2);
        long[] batch = {9, 9, 9};

        assertThatThrownBy(() -> stack.popInto(batch, 0, 3))
                .isInstanceOf(NoSuchElementException.class)
                .hasMessage("not enough elements: requested=3 size=2 capacity=4");
        assertThat(contents(stack)).containsExactly(1L, 2L);
        assertThat(batch).containsExactly(9, 9, 9);
    }

    @Test
    void shouldRejectBadArraySlicesInBatchMoves() {
        FixedLongStack stack = create(4);
        stack.push(1);

        assertThatThrownBy(() -> stack.pushAll(new long[3], 2, 2))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessage("fromIndex=2 count=2 arrayLength=3");
        assertThatThrownBy(() -> stack.pushAll(new long[3], -1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> stack.pushAll(new long[3], 0, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("count must be >= 0: fromIndex=0 count=-1");
        assertThatThrownBy(() -> stack.popInto(new long[1], 1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> stack.popInto(null, 0, 1)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> stack.pushAll(null, 0, 1)).isInstanceOf(NullPointerException.class);
        assertThat(contents(stack)).containsExactly(1L);
    }

    @Test
    void shouldRejectANegativeCapacity() {
        assertThatThrownBy(() -> create(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("capacity must be >= 0: capacity=-1");
    }
}
