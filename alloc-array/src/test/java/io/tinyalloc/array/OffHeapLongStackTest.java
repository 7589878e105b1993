package io.tinyalloc.array;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinyalloc.sys.Memory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OffHeapLongStackTest extends FixedLongStackSpec {

    private final Arena arena = Arena.ofConfined();

    @AfterEach
    void closeArena() {
        arena.close();
    }

    @Override
    FixedLongStack create(int capacity) {
        MemorySegment memory = arena.allocate(OffHeapLongStack.byteSizeFor(capacity), Long.BYTES);
        return OffHeapLongStack.format(memory.address(), capacity);
    }

    @Test
    void shouldNeedAnEightByteHeaderAndEightBytesPerElement() {
        assertThat(OffHeapLongStack.byteSizeFor(0)).isEqualTo(8);
        assertThat(OffHeapLongStack.byteSizeFor(64)).isEqualTo(8 + 512);
        assertThat(OffHeapLongStack.byteSizeFor(Integer.MAX_VALUE)).isEqualTo(8 + 8L * Integer.MAX_VALUE);
        assertThatThrownBy(() -> OffHeapLongStack.byteSizeFor(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldLayOutHeaderAndElementsAsTheDescriptorSays() {
        MemorySegment memory = arena.allocate(OffHeapLongStack.byteSizeFor(4), Long.BYTES);
        OffHeapLongStack stack = OffHeapLongStack.format(memory.address(), 4);
        stack.push(0xAAL);
        stack.push(0xBBL);

        long address = memory.address();
        assertThat(stack.address()).isEqualTo(address);
        assertThat(Memory.getInt(address + LongStackLayout.SIZE_OFFSET)).isEqualTo(2);
        assertThat(Memory.getInt(address + LongStackLayout.CAPACITY_OFFSET)).isEqualTo(4);
        assertThat(Memory.getLong(address + LongStackLayout.elementOffset(0))).isEqualTo(0xAAL);
        assertThat(Memory.getLong(address + LongStackLayout.elementOffset(1))).isEqualTo(0xBBL);
    }

    @Test
    void shouldSeeTheSameStackThroughAWrappedView() {
        MemorySegment memory = arena.allocate(OffHeapLongStack.byteSizeFor(8), Long.BYTES);
        OffHeapLongStack.format(memory.address(), 8).pushAll(new long[] {1, 2, 3}, 0, 3);

        OffHeapLongStack again = OffHeapLongStack.wrap(memory.address());

        assertThat(again.capacity()).isEqualTo(8);
        assertThat(contents(again)).containsExactly(1L, 2L, 3L);
        assertThat(again.pop()).isEqualTo(3);
        assertThat(OffHeapLongStack.wrap(memory.address()).size()).isEqualTo(2);
    }

    @Test
    void shouldRejectWrappingMemoryThatHoldsNoStack() {
        MemorySegment memory = arena.allocate(16, Long.BYTES);
        Memory.putInt(memory.address() + LongStackLayout.SIZE_OFFSET, 5);
        Memory.putInt(memory.address() + LongStackLayout.CAPACITY_OFFSET, 4);

        assertThatThrownBy(() -> OffHeapLongStack.wrap(memory.address()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no stack header at address=0x" + Long.toHexString(memory.address())
                        + ": size=5 capacity=4 (need 0 <= size <= capacity)");
    }

    @Test
    void shouldRejectAMisalignedOrNullAddress() {
        MemorySegment memory = arena.allocate(16, Long.BYTES);

        assertThatThrownBy(() -> OffHeapLongStack.format(memory.address() + 4, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("address must be non-zero and 8-byte aligned: address=0x"
                        + Long.toHexString(memory.address() + 4));
        assertThatThrownBy(() -> OffHeapLongStack.format(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OffHeapLongStack.wrap(memory.address() + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OffHeapLongStack.format(memory.address(), -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
