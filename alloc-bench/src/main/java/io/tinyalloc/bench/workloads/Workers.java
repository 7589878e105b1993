package io.tinyalloc.bench.workloads;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntConsumer;
import java.util.function.IntToLongFunction;

/**
 * Platform threads for the workloads: new threads every time (thread churn is part of several
 * workloads), the first failure kept and rethrown once every thread has ended.
 */
final class Workers {

    private final String kernel;
    private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();

    Workers(String kernel) {
        this.kernel = kernel;
    }

    /** Runs {@code task(index)} for each index on its own new thread and waits for all of them. */
    void runAll(int threadCount, IntConsumer task) {
        List<Thread> threads = new ArrayList<>(threadCount);
        for (int index = 0; index < threadCount; index++) {
            threads.add(start(index, task));
        }
        for (Thread thread : threads) {
            join(thread);
        }
        rethrowFailure();
    }

    /**
     * As {@link #runAll}, for tasks that return how many operations they did: the sum over all
     * threads, once every thread has ended without failure.
     */
    long sumAll(int threadCount, IntToLongFunction task) {
        LongAdder operations = new LongAdder();
        runAll(threadCount, index -> operations.add(task.applyAsLong(index)));
        return operations.sum();
    }

    /** Starts {@code task(index)} on a new thread; a failure is recorded, not lost. */
    Thread start(int index, IntConsumer task) {
        Thread thread = new Thread(() -> {
            try {
                task.accept(index);
            } catch (Throwable t) {
                record(t);
            }
        }, kernel + "-" + index);
        thread.start();
        return thread;
    }

    void record(Throwable failure) {
        firstFailure.compareAndSet(null, failure);
    }

    boolean failed() {
        return firstFailure.get() != null;
    }

    void rethrowFailure() {
        Throwable failure = firstFailure.get();
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        if (failure != null) {
            throw WorkloadErrors.workerFailed(kernel, failure);
        }
    }

    private void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw WorkloadErrors.interrupted(kernel);
        }
    }
}
