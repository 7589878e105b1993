package io.tinyalloc.bitmap;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.util.List;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.LincheckAssertionError;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.junit.jupiter.api.Test;

/**
 * The relaxation {@link AtomicBitmap} documents for claims across words, pinned down as a fact:
 * 70 bits, all claimed but bit 69. One thread claims; the other releases bit 3 and then takes
 * bit 69. The bitmap is never full during the claim (first 69 is free, then 3), yet the claim can
 * see word 0 full before the release and word 1 full after the take, and return -1.
 *
 * <p>This also proves the model checker really interleaves at {@code Memory} calls: without
 * {@link OffHeapLincheck#memoryCallsAreAtomicEvents()} it finds nothing here.
 */
@Param(name = "index", gen = IntGen.class, conf = "0:69")
public class AtomicBitmapAcrossWordsLincheckTest extends AtomicBitmapOperations {

    public AtomicBitmapAcrossWordsLincheckTest() {
        super(70, 0, 69);
    }

    public static class Model extends BitSetClaimModel {
        public Model() {
            super(70, 0, 69);
        }
    }

    @Operation
    public boolean tryClaim(@Param(name = "index") int index) {
        return bitmap.tryClaim(index);
    }

    @Operation
    public void release(@Param(name = "index") int index) {
        bitmap.release(index);
    }

    @Test
    void shouldMissABitReleasedBehindTheScanOfAClaimAcrossWords() throws ReflectiveOperationException {
        Method claim = getClass().getMethod("claim");
        Method release = getClass().getMethod("release", int.class);
        Method tryClaim = getClass().getMethod("tryClaim", int.class);
        ExecutionScenario scenario = new ExecutionScenario(
                List.of(),
                List.of(List.of(new Actor(claim, List.of())),
                        List.of(new Actor(release, List.of(3)), new Actor(tryClaim, List.of(69)))),
                List.of(),
                null);

        assertThatThrownBy(() -> OffHeapLincheck.modelChecking()
                .iterations(0)
                .addCustomScenario(scenario)
                .sequentialSpecification(Model.class)
                .check(getClass()))
                .isInstanceOf(LincheckAssertionError.class)
                .hasMessageContaining("claim(): -1");
    }
}
