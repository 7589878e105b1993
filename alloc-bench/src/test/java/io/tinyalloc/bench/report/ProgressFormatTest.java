package io.tinyalloc.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressFormatTest {

    @Test
    void shouldPassFailuresThroughAndDropJmhHeadersAndUnsafeWarnings() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressFormat format = new ProgressFormat(new PrintStream(bytes, true, StandardCharsets.UTF_8), "job", false);

        format.println("# Run progress: 50.00% complete, ETA 00:00:04");
        format.println("WARNING: sun.misc.Unsafe::objectFieldOffset has been called by org.openjdk.jmh.util.Utils");
        format.println("WARNING: Please consider reporting this to the maintainers of class org.openjdk.jmh.util.Utils");
        format.println("<failure>");
        format.println("java.lang.IllegalStateException: mimalloc not installed");
        format.println("WARNING: something else");

        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(String.join(System.lineSeparator(),
                "<failure>", "java.lang.IllegalStateException: mimalloc not installed", "WARNING: something else", ""));
    }

    @Test
    void shouldFilterTheForkedJvmsRawOutputLineByLine() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressFormat format = new ProgressFormat(new PrintStream(bytes, true, StandardCharsets.UTF_8), "job", false);

        format.write("WARNING: A terminally deprecated method in sun.misc.Unsafe has been called\nfork says hi\npart".getBytes(
                StandardCharsets.UTF_8));
        format.write('!');
        format.close();

        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(String.join(System.lineSeparator(),
                "fork says hi", "part!", ""));
    }
}
