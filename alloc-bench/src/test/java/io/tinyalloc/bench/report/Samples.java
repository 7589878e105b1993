package io.tinyalloc.bench.report;

import io.tinyalloc.bench.workloads.RssSample;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The checked-in JMH result sample and a matching set of RSS samples. */
final class Samples {

    private Samples() {
    }

    static String jmhJson() {
        try (InputStream in = Samples.class.getResourceAsStream("jmh-sample.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Measurement> measurements() {
        return JmhResults.parse(jmhJson());
    }

    static List<RssSample> rss() {
        return List.of(
                new RssSample("larson", "tinyalloc", 2, 1, 1000, 1_000_000, 102_400, 204_800),
                new RssSample("larson", "glibc", 2, 1, 1000, 1_000_000, 102_400, 409_600),
                new RssSample("thread-exit", "tinyalloc", 2, 1, 1000, 1_000_000, 102_400, 153_600),
                new RssSample("thread-exit", "glibc", 2, 1, 1000, 1_000_000, 102_400, 153_600));
    }

    static ReportContext context() {
        return new ReportContext("quick", "2 CPUs (test), Linux amd64, JDK 25", "./bench",
                List.of("mimalloc not installed: apt-get install libmimalloc2.0"), List.of("pairs.svg"));
    }
}
