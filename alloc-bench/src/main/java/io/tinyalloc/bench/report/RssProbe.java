package io.tinyalloc.bench.report;

import io.tinyalloc.bench.workloads.KernelMain;
import io.tinyalloc.bench.workloads.RssSample;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Peak RSS per kernel and allocator: one dedicated JVM per case ({@link KernelMain}) with a small,
 * fixed, pre-touched heap, so every allocator starts from the same resident baseline, and with
 * {@code LD_PRELOAD} where the allocator needs it.
 */
final class RssProbe {

    /** -Xms = -Xmx and AlwaysPreTouch: the heap is resident from the start, part of the baseline. */
    static final List<String> JVM_OPTIONS = List.of("-Xms64m", "-Xmx64m", "-XX:+AlwaysPreTouch");
    private static final long TIMEOUT_MINUTES = 15;

    /** One fork: a kernel, an allocator and its environment, a thread count, how many runs (after warm-up runs). */
    record Case(String kernel, String allocator, Map<String, String> environment, int threads, int runs,
                int warmupRuns) {

        Case(String kernel, String allocator, Map<String, String> environment, int threads, int runs) {
            this(kernel, allocator, environment, threads, runs, 0);
        }
    }

    private RssProbe() {
    }

    static List<RssSample> run(List<Case> cases) {
        List<RssSample> samples = new ArrayList<>();
        int number = 0;
        for (Case probe : cases) {
            number++;
            System.out.print("[rss " + number + "/" + cases.size() + "] " + probe.kernel + " allocator="
                    + probe.allocator + " threads=" + probe.threads + " ... ");
            System.out.flush();
            Optional<RssSample> sample = measure(probe);
            sample.ifPresent(samples::add);
            sample.ifPresent(s -> System.out.println("peak " + Format.mebibytes(s.peakKiB()) + " MiB (JVM baseline "
                    + Format.mebibytes(s.baselineKiB()) + " MiB), " + Format.significant(s.nanos() / 1e9) + " s"));
        }
        return samples;
    }

    static Optional<RssSample> measure(Case probe) {
        List<String> arguments = List.of(probe.kernel, probe.allocator, Integer.toString(probe.threads),
                Integer.toString(probe.runs), Integer.toString(probe.warmupRuns));
        ProcessBuilder builder = new ProcessBuilder(JavaProcess.command(JVM_OPTIONS, KernelMain.class.getName(), arguments));
        builder.environment().putAll(probe.environment);
        try {
            Process process = builder.start();
            CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            String output = readAll(process.getInputStream());
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                System.out.println("timed out after " + TIMEOUT_MINUTES + " min");
                return Optional.empty();
            }
            Optional<RssSample> sample = output.lines().map(RssSample::parseLine).filter(s -> s != null).findFirst();
            if (process.exitValue() != 0 || sample.isEmpty()) {
                System.out.println("failed (exit " + process.exitValue() + ")");
                System.out.print(output);
                System.out.print(errors.join());
            }
            return sample;
        } catch (IOException e) {
            System.out.println("cannot start: " + e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring " + probe, e);
        }
    }

    private static String readAll(java.io.InputStream stream) {
        try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output unreadable: " + e.getMessage() + ")\n";
        }
    }
}
