package io.tinyalloc.list;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random single-threaded operation sequences on a {@link TaggedStack}, checked step by step
 * against an {@link ArrayDeque} used as a stack (head = top). Nodes go back to a free pool when
 * popped, so addresses are reused the way an allocator reuses them.
 */
class TaggedStackProperties {

    private static final int NODE_COUNT = 16;
    private static final long NEXT_OFFSET = 8;

    enum Kind { PUSH, POP, PUSH_CHAIN, PUSH_COUNTED_CHAIN, POP_ALL }

    /** One step; {@code pick} chooses among free nodes, {@code length} is a chain length. */
    record Op(Kind kind, int pick, int length) {
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Kind> kinds = Arbitraries.frequency(
                Tuple.of(8, Kind.PUSH), Tuple.of(8, Kind.POP), Tuple.of(2, Kind.PUSH_CHAIN),
                Tuple.of(2, Kind.PUSH_COUNTED_CHAIN), Tuple.of(1, Kind.POP_ALL));
        return Combinators.combine(kinds, Arbitraries.integers().between(0, NODE_COUNT - 1),
                        Arbitraries.integers().between(1, 5))
                .as(Op::new)
                .list().ofMaxSize(100);
    }

    @Property(tries = 300)
    void shouldBehaveLikeAnArrayDequeStack(@ForAll("operations") List<Op> operations) {
        try (OffHeapNodes nodes = OffHeapNodes.confined(NODE_COUNT)) {
            TaggedStack stack = new TaggedStack(NEXT_OFFSET);
            ArrayDeque<Integer> model = new ArrayDeque<>();
            List<Integer> free = new ArrayList<>();
            for (int i = 0; i < NODE_COUNT; i++) {
                free.add(i);
            }
            for (Op op : operations) {
                switch (op.kind()) {
                    case PUSH -> {
                        if (!free.isEmpty()) {
                            int index = free.remove(op.pick() % free.size());
                            stack.push(nodes.address(index));
                            model.push(index);
                        }
                    }
                    case POP -> {
                        long node = stack.pop();
                        Integer expected = model.poll();
                        assertThat(node == 0 ? null : nodes.indexOf(node)).as("pop after %s", op).isEqualTo(expected);
                        if (expected != null) {
                            free.add(expected);
                        }
                    }
                    case PUSH_CHAIN, PUSH_COUNTED_CHAIN -> pushChain(stack, nodes, model, free, op);
                    case POP_ALL -> {
                        List<Integer> chain = walk(stack, nodes, stack.popAll());
                        assertThat(chain).isEqualTo(new ArrayList<>(model));
                        free.addAll(chain);
                        model.clear();
                    }
                }
                assertThat(stack.approximateSize()).isEqualTo(model.size());
                assertThat(stack.isEmpty()).isEqualTo(model.isEmpty());
                assertThat(stack.checkInvariants()).isTrue();
            }
            assertThat(walk(stack, nodes, stack.popAll())).isEqualTo(new ArrayList<>(model));
        }
    }

    private static void pushChain(TaggedStack stack, OffHeapNodes nodes, ArrayDeque<Integer> model,
                                  List<Integer> free, Op op) {
        int length = Math.min(op.length(), free.size());
        if (length == 0) {
            return;
        }
        List<Integer> chain = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            chain.add(free.remove((op.pick() + i) % free.size()));
        }
        for (int i = 0; i + 1 < length; i++) {
            stack.setNext(nodes.address(chain.get(i)), nodes.address(chain.get(i + 1)));
        }
        long first = nodes.address(chain.getFirst());
        long last = nodes.address(chain.getLast());
        if (op.kind() == Kind.PUSH_COUNTED_CHAIN) {
            stack.pushChain(first, last, length);
        } else {
            stack.pushChain(first, last);
        }
        for (int i = length - 1; i >= 0; i--) {
            model.push(chain.get(i));
        }
    }

    private static List<Integer> walk(TaggedStack stack, OffHeapNodes nodes, long first) {
        List<Integer> indexes = new ArrayList<>();
        for (long node = first; node != 0; node = stack.next(node)) {
            indexes.add(nodes.indexOf(node));
        }
        return indexes;
    }
}
