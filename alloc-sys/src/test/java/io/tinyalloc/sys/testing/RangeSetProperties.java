package io.tinyalloc.sys.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link RangeSet} against a {@link BitSet} of bytes: random adds and removes. */
class RangeSetProperties {

    private static final int SPACE = 512;

    record Change(int start, int byteSize, boolean add) {
    }

    @Property(tries = 300, seed = "7")
    void shouldAgreeWithABitSet(@ForAll("changes") List<Change> changes) {
        RangeSet set = new RangeSet();
        BitSet model = new BitSet(SPACE);
        for (Change change : changes) {
            if (change.add()) {
                set.add(change.start(), change.byteSize());
            } else {
                set.remove(change.start(), change.byteSize());
            }
            model.set(change.start(), change.start() + change.byteSize(), change.add());
            assertThat(set.totalBytes()).isEqualTo(model.cardinality());
        }
        for (int start = 0; start < SPACE; start += 37) {
            int byteSize = Math.min(50, SPACE - start);
            assertThat(set.overlapBytes(start, byteSize)).isEqualTo(model.get(start, start + byteSize).cardinality());
        }
    }

    @Provide
    Arbitrary<List<Change>> changes() {
        Arbitrary<Change> change = Combinators.combine(Arbitraries.integers().between(0, SPACE - 1),
                Arbitraries.integers().between(1, 120), Arbitraries.of(true, true, false))
                .as((start, size, add) -> new Change(start, Math.min(size, SPACE - start), add));
        return change.list().ofMinSize(1).ofMaxSize(30);
    }
}
