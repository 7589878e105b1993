package io.tinyalloc.bench.workloads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinyalloc.bench.NativeAllocator;
import io.tinyalloc.bench.peers.Peers;
import io.tinyalloc.bench.support.AliasingAllocator;
import io.tinyalloc.bench.support.CountingAllocator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every kernel, run tiny against TinyAlloc and the C peers through a counting decorator: it allocates, frees
 * every block it allocated (none twice, none foreign), and reports its operations; and against an
 * allocator that hands out live blocks twice, where the kernels that check contents must notice.
 */
class KernelsTest {

    private static final List<String> ALLOCATORS = List.of("tinyalloc", "glibc", "mimalloc");

    static Stream<Arguments> kernelsAndAllocators() {
        return Kernels.NAMES.stream().flatMap(kernel -> ALLOCATORS.stream().flatMap(allocator ->
                Stream.of(Arguments.of(kernel, allocator, 1), Arguments.of(kernel, allocator, 3))));
    }

    @ParameterizedTest(name = "{0} on {1} with {2} threads")
    @MethodSource("kernelsAndAllocators")
    void shouldAllocateFreeEverythingAndCountOperations(String kernelName, String allocatorName, int threads) {
        assumeTrue(Peers.notInstalledLine(allocatorName).isEmpty(), allocatorName + " not installed");
        Kernel kernel = Kernels.create(kernelName, Scale.TEST);
        CountingAllocator allocator = new CountingAllocator(Peers.create(allocatorName));

        long operations = kernel.run(allocator, threads);

        assertThat(operations).isPositive();
        assertThat(allocator.allocations()).isPositive();
        assertThat(allocator.frees()).isEqualTo(allocator.allocations());
        assertThat(allocator.liveCount()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"larson", "xmalloc-test", "mstress", "glibc-thread", "malloc-large", "thread-exit"})
    void shouldDetectABlockHandedOutTwice(String kernelName) {
        Kernel kernel = Kernels.create(kernelName, Scale.TEST);
        AliasingAllocator broken = new AliasingAllocator(Peers.create("glibc"), 3);

        assertThatThrownBy(() -> kernel.run(broken, 2))
                .isInstanceOf(BlockCorruptedException.class)
                .hasMessageContaining("kernel=" + kernelName)
                .hasMessageContaining("address=0x");
        assertThat(broken.aliasCount()).isPositive();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1})
    void shouldRejectAThreadCountBelowOne(int threads) {
        NativeAllocator glibc = Peers.create("glibc");
        for (String name : Kernels.NAMES) {
            assertThatThrownBy(() -> Kernels.create(name, Scale.TEST).run(glibc, threads))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("threadCount=" + threads);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Larson", "nope"})
    void shouldRejectAnUnknownKernelNamingTheKnownOnes(String name) {
        assertThatThrownBy(() -> Kernels.create(name, Scale.TEST))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name=" + name)
                .hasMessageContaining("larson");
    }
}
