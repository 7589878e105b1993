package io.tinyalloc.sys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link PageBitmap} against {@link BitSet}: random range updates across words and chunks. */
class PageBitmapProperties {

    private static final int PAGE_COUNT = 600_000;

    record Update(int fromIndex, int count, boolean value) {
    }

    @Property(tries = 200, seed = "20250101")
    void shouldAgreeWithABitSet(@ForAll("updates") List<Update> updates) {
        PageBitmap bitmap = new PageBitmap(PAGE_COUNT);
        BitSet model = new BitSet(PAGE_COUNT);
        for (Update update : updates) {
            bitmap.setRange(update.fromIndex(), update.count(), update.value());
            model.set(update.fromIndex(), update.fromIndex() + update.count(), update.value());
            assertThat(bitmap.setCount()).isEqualTo(model.cardinality());
        }
        for (int probe = 0; probe < PAGE_COUNT; probe += 997) {
            assertThat(bitmap.get(probe)).isEqualTo(model.get(probe));
        }
        for (Update update : updates) {
            int last = update.fromIndex() + update.count() - 1;
            assertThat(bitmap.get(update.fromIndex())).isEqualTo(model.get(update.fromIndex()));
            assertThat(bitmap.get(last)).isEqualTo(model.get(last));
        }
    }

    @Provide
    Arbitrary<List<Update>> updates() {
        Arbitrary<Integer> from = Arbitraries.oneOf(Arbitraries.integers().between(0, PAGE_COUNT - 1),
                Arbitraries.of(0, 63, 64, 262_143, 262_144, PAGE_COUNT - 1));
        Arbitrary<Update> update = Combinators.combine(from, Arbitraries.integers().between(1, 300_000),
                Arbitraries.of(true, false)).as((f, c, v) -> new Update(f, Math.min(c, PAGE_COUNT - f), v));
        return update.list().ofMinSize(1).ofMaxSize(12);
    }
}
