package io.tinyalloc.bench.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/** Runs {@link JmhJob}s in this JVM or, when they need an environment, in a child JVM. */
final class JmhLauncher {

    static final String CHILD_FLAG = "--jmh-child";

    private JmhLauncher() {
    }

    static void run(JmhJob job, boolean summary) {
        if (job.needsChildJvm()) {
            runInChild(job);
        } else {
            runHere(job.name(), job.jmhArgs(), summary);
        }
    }

    /** Runs JMH in this JVM with progress lines; a failed job is reported, not fatal to the run. */
    static boolean runHere(String name, List<String> jmhArgs, boolean summary) {
        try {
            CommandLineOptions options = new CommandLineOptions(jmhArgs.toArray(String[]::new));
            new Runner(options, new ProgressFormat(System.out, name, summary)).run();
            return true;
        } catch (CommandLineOptionException | RunnerException e) {
            System.out.println("[" + name + "] JMH failed: " + e.getMessage());
            return false;
        }
    }

    private static void runInChild(JmhJob job) {
        List<String> arguments = new ArrayList<>(List.of(CHILD_FLAG, job.name()));
        arguments.addAll(job.jmhArgs());
        ProcessBuilder builder = new ProcessBuilder(JavaProcess.command(List.of(), BenchMain.class.getName(), arguments))
                .inheritIO();
        builder.environment().putAll(job.environment());
        try {
            int exit = builder.start().waitFor();
            if (exit != 0) {
                System.out.println("[" + job.name() + "] child JVM exited with " + exit);
            }
        } catch (IOException e) {
            System.out.println("[" + job.name() + "] cannot start child JVM: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running job " + job.name(), e);
        }
    }
}
