package io.tinyalloc.array;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LongStackTest extends FixedLongStackSpec {

    @Override
    FixedLongStack create(int capacity) {
        return new LongStack(capacity);
    }

    @org.junit.jupiter.api.Test
    void shouldRejectANegativeCapacityNamingIt() {
        assertThatThrownBy(() -> new LongStack(-3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("capacity=-3");
    }
}
