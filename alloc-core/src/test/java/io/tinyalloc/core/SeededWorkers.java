package io.tinyalloc.core;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The run of a seeded stress test: {@code threads} workers until a deadline, worker t with its
 * own random stream from {@code seed + t}. The seed comes from {@code -Dtinyalloc.stress.seed}
 * (else the clock) and is printed, so a failing run can be repeated.
 */
final class SeededWorkers {

    /** One worker's loop; returns how many steps it made. */
    interface Worker {
        long run(int index, SplittableRandom random, long deadlineNanos);
    }

    private SeededWorkers() {
    }

    /**
     * Runs the workers for {@code durationMillis}, waits for all of them (also when one fails), and
     * returns their steps summed.
     */
    static long run(String testName, int threads, long durationMillis, Worker worker) throws Exception {
        long seed = Long.getLong("tinyalloc.stress.seed", System.nanoTime());
        System.out.println(testName + " seed=" + seed + " (rerun with -Dtinyalloc.stress.seed=" + seed + ")");
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(durationMillis);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<CompletableFuture<Long>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int index = t;
                SplittableRandom random = new SplittableRandom(seed + t);
                workers.add(CompletableFuture.supplyAsync(() -> worker.run(index, random, deadline), pool));
            }
            long steps = 0;
            for (CompletableFuture<Long> future : workers) {
                steps += future.get(durationMillis + 60_000, TimeUnit.MILLISECONDS);
            }
            return steps;
        } finally {
            // A worker's failure must not leave the others running into the next test (where they
            // would steal its CPU, or find their heap closed): wait for them to reach the deadline.
            pool.shutdown();
            pool.awaitTermination(durationMillis + 60_000, TimeUnit.MILLISECONDS);
        }
    }
}
