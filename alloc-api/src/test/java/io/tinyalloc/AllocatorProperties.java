package io.tinyalloc;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * Stateful property: random sequences of every allocating and freeing call, run against an
 * {@link AllocatorModel}, keep the allocator and the model in agreement: no two live blocks
 * overlap, alignments are honoured, usable sizes cover the requests, resizes keep contents,
 * calloc and recallocArray zero what they must, and the live counters match the model.
 */
class AllocatorProperties {

    private final List<AllocatorModel> models = new ArrayList<>();

    @AfterTry
    void closeAllocators() {
        models.forEach(AllocatorModel::close);
        models.clear();
    }

    @Property(tries = 300)
    void allocatorAgreesWithTheModel(@ForAll("chains") ActionChain<AllocatorModel> chain) {
        chain.withInvariant("allocator matches model", AllocatorModel::checkInvariants).run();
    }

    @Provide
    Arbitrary<ActionChain<AllocatorModel>> chains() {
        return ActionChain.<AllocatorModel>startWith(this::newModel)
                .withAction(4, always(sizes().map(size -> Transformer.mutate("malloc(" + size + ")",
                        model -> model.malloc(size)))))
                .withAction(1, always(Arbitraries.longs().between(0, 64).tuple2()
                        .map(t -> Transformer.mutate("calloc(" + t.get1() + ", " + t.get2() + ")",
                                model -> model.calloc(t.get1(), t.get2())))))
                .withAction(1, always(Arbitraries.integers().between(0, 22).flatMap(shift -> sizes()
                        .map(size -> Tuple.of(1L << shift, size)))
                        .map(t -> Transformer.mutate("alignedAlloc(" + t.get1() + ", " + t.get2() + ")",
                                model -> model.alignedAlloc(t.get1(), t.get2())))))
                .withAction(1, always(sizes().map(size -> Transformer.mutate("pageAlloc(" + size + ")",
                        model -> model.pageAlloc(size)))))
                .withAction(2, always(Arbitraries.integers().between(0, 12).flatMap(shift -> sizes()
                        .map(size -> Tuple.of(size, 1L << shift)))
                        .map(t -> Transformer.mutate("allocate(" + t.get1() + ", " + t.get2() + ")",
                                model -> model.allocate(t.get1(), t.get2())))))
                .withAction(2, onLiveBlock(blockIndexes().flatMap(index -> sizes().map(size -> Transformer.mutate(
                        "realloc(#" + index + ", " + size + ")", model -> model.realloc(index, size))))))
                .withAction(1, onLiveBlock(Arbitraries.integers().between(0, 1000).flatMap(index -> Arbitraries
                        .longs().between(0, 600).map(count -> Transformer.mutate(
                                "reallocArray(#" + index + ", " + count + ", 8)",
                                model -> model.reallocArray(index, count, 8))))))
                .withAction(1, onLiveBlock(Arbitraries.integers().between(0, 1000).flatMap(index -> Arbitraries
                        .longs().between(0, 2000).map(count -> Transformer.mutate(
                                "recallocArray(#" + index + ", " + count + ", 4)",
                                model -> model.recallocArray(index, count, 4))))))
                .withAction(4, onLiveBlock(blockIndexes().map(index -> Transformer.mutate("free(#" + index + ")",
                        model -> model.free(index)))))
                .withAction(1, onLiveBlock(blockIndexes().map(index -> Transformer.mutate(
                        "usableSize(#" + index + ")", model -> model.usableSize(index)))))
                .withAction(1, onLiveBlock(blockIndexes().map(index -> Transformer.mutate(
                        "segment(#" + index + ")", model -> model.segment(index)))))
                .withMaxTransformations(80);
    }

    private AllocatorModel newModel() {
        AllocatorModel model = new AllocatorModel(TestAllocators.newAllocator());
        models.add(model);
        return model;
    }

    /** Mostly small sizes, some medium, a few large blocks with their own mappings. */
    private static Arbitrary<Long> sizes() {
        return Arbitraries.frequencyOf(
                Tuple.of(70, Arbitraries.longs().between(0, 512)),
                Tuple.of(20, Arbitraries.longs().between(513, 16_384)),
                Tuple.of(8, Arbitraries.longs().between(16_385, 300_000)),
                Tuple.of(2, Arbitraries.longs().between(300_001, 3L << 20)));
    }

    private static Arbitrary<Integer> blockIndexes() {
        return Arbitraries.integers().between(0, 1000);
    }

    private static Action.Independent<AllocatorModel> always(Arbitrary<Transformer<AllocatorModel>> transformers) {
        return () -> transformers;
    }

    private static Action.Independent<AllocatorModel> onLiveBlock(
            Arbitrary<Transformer<AllocatorModel>> transformers) {
        return new Action.Independent<>() {
            @Override
            public boolean precondition(AllocatorModel model) {
                return !model.isEmpty();
            }

            @Override
            public Arbitrary<Transformer<AllocatorModel>> transformer() {
                return transformers;
            }
        };
    }
}
