package io.tinyalloc.list;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.PrimitiveIterator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Random operation sequences on two intrusive lists sharing one pool of nodes, checked step by
 * step against two {@link LinkedList}s of node indexes. Operations name random nodes, so they
 * hit present nodes, absent nodes and nodes of the other list alike; every call the model deems
 * invalid must throw {@link IllegalArgumentException} and leave both lists unchanged.
 */
class IntrusiveListProperties {

    private static final int NODE_COUNT = 12;
    private static final long LINK_OFFSET = OffHeapNodes.LINK_OFFSET;

    enum Kind {
        PUSH, PUSH_FRONT, POP, POP_FRONT, REMOVE, INSERT_BEFORE, INSERT_AFTER,
        NEXT, PREV, CONTAINS, ITERATOR_REMOVE, DRAIN_SOME, CLEAR
    }

    /** One step: {@code kind} on list {@code listIndex}; {@code node}/{@code anchor} are node indexes. */
    record Op(Kind kind, int listIndex, int node, int anchor) {
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Kind> kinds = Arbitraries.frequency(
                Tuple.of(8, Kind.PUSH), Tuple.of(5, Kind.PUSH_FRONT), Tuple.of(3, Kind.POP),
                Tuple.of(3, Kind.POP_FRONT), Tuple.of(6, Kind.REMOVE), Tuple.of(4, Kind.INSERT_BEFORE),
                Tuple.of(4, Kind.INSERT_AFTER), Tuple.of(2, Kind.NEXT), Tuple.of(2, Kind.PREV),
                Tuple.of(2, Kind.CONTAINS), Tuple.of(2, Kind.ITERATOR_REMOVE), Tuple.of(1, Kind.DRAIN_SOME),
                Tuple.of(1, Kind.CLEAR));
        Arbitrary<Integer> nodeIndexes = Arbitraries.integers().between(0, NODE_COUNT - 1);
        return Combinators.combine(kinds, Arbitraries.integers().between(0, 1), nodeIndexes, nodeIndexes)
                .as(Op::new)
                .list().ofMaxSize(80);
    }

    @Property(tries = 300)
    void shouldBehaveLikeLinkedLists(@ForAll("operations") List<Op> operations) {
        try (OffHeapNodes nodes = OffHeapNodes.confined(NODE_COUNT)) {
            new Run(nodes).apply(operations);
        }
    }

    /** The lists under test and their models for one try. */
    private static final class Run {
        private final OffHeapNodes nodes;
        private final IntrusiveList[] lists = {new IntrusiveList(LINK_OFFSET), new IntrusiveList(LINK_OFFSET)};
        private final List<LinkedList<Integer>> models = List.of(new LinkedList<>(), new LinkedList<>());

        Run(OffHeapNodes nodes) {
            this.nodes = nodes;
        }

        void apply(List<Op> operations) {
            for (Op op : operations) {
                step(op);
                checkAgainstModels(op);
            }
        }

        private void step(Op op) {
            IntrusiveList list = lists[op.listIndex()];
            LinkedList<Integer> model = models.get(op.listIndex());
            long node = nodes.address(op.node());
            long anchor = nodes.address(op.anchor());
            boolean nodeFree = !models.get(0).contains(op.node()) && !models.get(1).contains(op.node());
            boolean nodeHere = model.contains(op.node());
            boolean anchorHere = model.contains(op.anchor());
            switch (op.kind()) {
                case PUSH -> expect(nodeFree, () -> list.push(node), () -> model.addLast(op.node()));
                case PUSH_FRONT -> expect(nodeFree, () -> list.pushFront(node), () -> model.addFirst(op.node()));
                case POP -> assertThat(indexOrMinusOne(list.pop())).isEqualTo(orMinusOne(model.pollLast()));
                case POP_FRONT -> assertThat(indexOrMinusOne(list.popFront())).isEqualTo(orMinusOne(model.pollFirst()));
                case REMOVE -> expect(nodeHere, () -> list.remove(node), () -> model.remove((Integer) op.node()));
                case INSERT_BEFORE -> expect(anchorHere && nodeFree, () -> list.insertBefore(anchor, node),
                        () -> model.add(model.indexOf(op.anchor()), op.node()));
                case INSERT_AFTER -> expect(anchorHere && nodeFree, () -> list.insertAfter(anchor, node),
                        () -> model.add(model.indexOf(op.anchor()) + 1, op.node()));
                case NEXT -> expect(nodeHere, () -> assertThat(indexOrMinusOne(list.next(node)))
                        .isEqualTo(neighbour(model, op.node(), +1)), () -> { });
                case PREV -> expect(nodeHere, () -> assertThat(indexOrMinusOne(list.prev(node)))
                        .isEqualTo(neighbour(model, op.node(), -1)), () -> { });
                case CONTAINS -> assertThat(list.contains(node)).isEqualTo(nodeHere);
                case ITERATOR_REMOVE -> removeThroughIterator(list, model, op.node());
                case DRAIN_SOME -> drainSome(list, model, op.node() % 4);
                case CLEAR -> {
                    list.clear();
                    model.clear();
                }
            }
        }

        /** Runs {@code call}; if {@code valid}, applies {@code modelUpdate}, else expects a rejection. */
        private void expect(boolean valid, Runnable call, Runnable modelUpdate) {
            if (valid) {
                call.run();
                modelUpdate.run();
            } else {
                assertThatThrownBy(call::run).isInstanceOf(IllegalArgumentException.class);
            }
        }

        private void removeThroughIterator(IntrusiveList list, LinkedList<Integer> model, int target) {
            PrimitiveIterator.OfLong iterator = list.iterator();
            while (iterator.hasNext()) {
                if (nodes.indexOf(iterator.nextLong()) == target) {
                    iterator.remove();
                }
            }
            model.remove((Integer) target);
        }

        private void drainSome(IntrusiveList list, LinkedList<Integer> model, int count) {
            PrimitiveIterator.OfLong drain = list.drain();
            for (int i = 0; i < count && drain.hasNext(); i++) {
                assertThat(nodes.indexOf(drain.nextLong())).isEqualTo(model.pollFirst());
            }
        }

        private void checkAgainstModels(Op op) {
            for (int i = 0; i < lists.length; i++) {
                IntrusiveList list = lists[i];
                LinkedList<Integer> model = models.get(i);
                assertThat(list.checkInvariants()).isTrue();
                assertThat(list.size()).as("size after %s", op).isEqualTo(model.size());
                assertThat(list.isEmpty()).isEqualTo(model.isEmpty());
                assertThat(contents(list)).as("contents after %s", op).isEqualTo(model);
                assertThat(indexOrMinusOne(list.peekFirst())).isEqualTo(orMinusOne(model.peekFirst()));
                assertThat(indexOrMinusOne(list.peekLast())).isEqualTo(orMinusOne(model.peekLast()));
            }
            for (int n = 0; n < NODE_COUNT; n++) {
                boolean inAny = models.get(0).contains(n) || models.get(1).contains(n);
                assertThat(IntrusiveList.isLinked(nodes.address(n), LINK_OFFSET)).isEqualTo(inAny);
            }
        }

        private List<Integer> contents(IntrusiveList list) {
            List<Integer> indexes = new ArrayList<>();
            list.forEach(node -> indexes.add(nodes.indexOf(node)));
            return indexes;
        }

        private int indexOrMinusOne(long node) {
            return node == 0 ? -1 : nodes.indexOf(node);
        }

        private static int orMinusOne(Integer index) {
            return index == null ? -1 : index;
        }

        private static int neighbour(LinkedList<Integer> model, int index, int direction) {
            int position = model.indexOf(index) + direction;
            return position < 0 || position >= model.size() ? -1 : model.get(position);
        }
    }
}
