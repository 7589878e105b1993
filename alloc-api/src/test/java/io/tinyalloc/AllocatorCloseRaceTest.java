package io.tinyalloc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * close() while other threads are inside malloc/free/calloc/realloc. Allocator.close()'s javadoc
 * calls this a caller error, but one that must not crash the JVM: the racing calls may throw or
 * succeed, never touch unmapped memory. Before close() kept the address space reserved, a
 * worker's free fast path read a segment header (or wrote a state byte) after close() had
 * unmapped it, and the JVM died of SIGSEGV within the first rounds. Runs in a child JVM (about 5 s
 * of rounds, see {@link CloseRaceMain}) so that a crash fails this test instead of killing the
 * test run; the child's small heap makes collections frequent, so closed allocators are also
 * unmapped by their cleaner while later rounds run.
 */
class AllocatorCloseRaceTest {

    private static final long CHILD_RUN_MILLIS = 5_000;

    @Test
    void shouldNotCrashTheJvmWhenClosedWhileAnotherThreadMallocsAndFrees(@TempDir Path directory) throws Exception {
        Path output = directory.resolve("child.out");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED", "-ea", "-Xmx64m",
                "-XX:ErrorFile=" + directory.resolve("hs_err_%p.log"), "-cp", System.getProperty("java.class.path"),
                CloseRaceMain.class.getName(), Long.toString(CHILD_RUN_MILLIS)))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        boolean ended = child.waitFor(CHILD_RUN_MILLIS + 20_000, TimeUnit.MILLISECONDS);
        if (!ended) {
            child.destroyForcibly();
        }
        String log = Files.readString(output);
        File[] crashes = directory.toFile().listFiles((dir, name) -> name.startsWith("hs_err_"));

        assertThat(ended).as("child ended; output:%n%s", log).isTrue();
        assertThat(crashes).as("crash logs; crashing frames:%n%s", crashingFrames(crashes)).isEmpty();
        assertThat(child.exitValue()).as("child exit code; output:%n%s", log).isZero();
        assertThat(log).contains("rounds=").doesNotContain("unexpected");
    }

    /** The signal and the allocator's frames of each crash log: where the JVM died. */
    private static String crashingFrames(File[] crashes) throws java.io.IOException {
        StringBuilder frames = new StringBuilder();
        for (File crash : crashes) {
            Files.readAllLines(crash.toPath()).stream()
                    .filter(line -> line.startsWith("#  SIGSEGV") || line.startsWith("#  SIGBUS")
                            || (line.matches("^[Jj] .*") && line.contains("io.tinyalloc")))
                    .distinct().limit(8).forEach(line -> frames.append(line).append('\n'));
        }
        return frames.toString();
    }
}
