package io.tinyalloc.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RunOptionsTest {

    @Test
    void shouldRunTheQuickSetIntoBenchResultsByDefault() {
        RunOptions options = RunOptions.parse(List.of());

        assertThat(options).isEqualTo(new RunOptions(null, false, false, true, false, Path.of("bench-results"),
                RunOptions.SUITES, List.of()));
    }

    @Test
    void shouldReadEveryOption() {
        RunOptions options = RunOptions.parse(List.of("--module", "bitmap", "--quick", "--no-rss", "--out", "/tmp/x",
                "--only", "pairs,rss", "--kernels", "larson,mstress"));

        assertThat(options).isEqualTo(new RunOptions("bitmap", false, true, false, false, Path.of("/tmp/x"),
                Set.of("pairs", "rss"), List.of("larson", "mstress")));
        assertThat(RunOptions.parse(List.of("--only", "kernels")).rss()).isFalse();
        assertThat(RunOptions.parse(List.of("--full", "--report-only")).full()).isTrue();
    }

    @Test
    void shouldReproduceARunWithoutWhereItsOutputWent() {
        assertThat(BenchMain.reproduceCommand(List.of())).isEqualTo("./bench");
        assertThat(BenchMain.reproduceCommand(List.of("--full", "--out", "/tmp/x", "--report-only")))
                .isEqualTo("./bench --full");
    }

    @Test
    void shouldRejectUnknownOptionsModulesAndMissingValues() {
        assertThatThrownBy(() -> RunOptions.parse(List.of("--fast"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown option: --fast");
        assertThatThrownBy(() -> RunOptions.parse(List.of("--module", "heap")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("module=heap");
        assertThatThrownBy(() -> RunOptions.parse(List.of("--out"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--out needs a value");
        assertThatThrownBy(() -> RunOptions.parse(List.of("--kernels", "larson,nope")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown value=nope");
        assertThatThrownBy(() -> RunOptions.parse(List.of("--quick", "--full")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exclude");
    }
}
