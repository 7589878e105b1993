package io.tinyalloc.bench.report;

import io.tinyalloc.bench.workloads.RssSample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code rss.json}: the RSS samples of a run, a JSON array of objects, one per fork. */
final class RssFile {

    static final String NAME = "rss.json";

    private RssFile() {
    }

    static String write(List<RssSample> samples) {
        List<String> objects = new ArrayList<>();
        for (RssSample sample : samples) {
            objects.add("  {\"kernel\": " + Json.quote(sample.kernel()) + ", \"allocator\": " + Json.quote(sample.allocator())
                    + ", \"threads\": " + sample.threads() + ", \"runs\": " + sample.runs()
                    + ", \"operations\": " + sample.operations() + ", \"nanos\": " + sample.nanos()
                    + ", \"baselineKiB\": " + sample.baselineKiB() + ", \"peakKiB\": " + sample.peakKiB() + "}");
        }
        return "[\n" + String.join(",\n", objects) + (objects.isEmpty() ? "" : "\n") + "]\n";
    }

    @SuppressWarnings("unchecked")
    static List<RssSample> read(String json) {
        List<RssSample> samples = new ArrayList<>();
        for (Object entry : (List<Object>) Json.parse(json)) {
            Map<String, Object> object = (Map<String, Object>) entry;
            samples.add(new RssSample((String) object.get("kernel"), (String) object.get("allocator"),
                    (int) Json.number(object.get("threads")), (int) Json.number(object.get("runs")),
                    (long) Json.number(object.get("operations")), (long) Json.number(object.get("nanos")),
                    (long) Json.number(object.get("baselineKiB")), (long) Json.number(object.get("peakKiB"))));
        }
        return samples;
    }
}
