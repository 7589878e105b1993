package io.tinyalloc;

/**
 * Holds the process-wide allocator of {@link Allocator#global()}, created on first use from the
 * process's configuration.
 *
 * <p>Two ways in. {@link Constant#INSTANCE} is a {@code static final} field, so that a caller of
 * {@code Allocator.global()} gets a constant receiver and the JIT folds the allocator's fields into
 * its code (see {@link TinyAllocator}). Its initializer never throws: a misconfiguration must
 * surface as a clear exception on every call (and be fixable by setting a system property and
 * calling again), not as an {@code ExceptionInInitializerError} followed by
 * {@code NoClassDefFoundError}s. If the first attempt fails, the constant stays null and every
 * call takes the {@link #instance} field instead, which retries until it succeeds.
 */
final class GlobalAllocator {

    private static volatile Allocator instance;

    private GlobalAllocator() {
    }

    static Allocator instance() {
        Allocator constant = Constant.INSTANCE;
        return constant != null ? constant : created();
    }

    private static Allocator created() {
        Allocator allocator = instance;
        return allocator != null ? allocator : create();
    }

    /** The global allocator if the first attempt made it, else null. */
    private static final class Constant {

        static final Allocator INSTANCE = createdOrNull();

        private static Allocator createdOrNull() {
            try {
                return created();
            } catch (RuntimeException | Error failed) {
                // Every later call retries through created() and reports the problem itself.
                return null;
            }
        }
    }

    private static synchronized Allocator create() {
        if (instance == null) {
            instance = build(Configuration.ofProcess());
        }
        return instance;
    }

    static Allocator build(Configuration configuration) {
        try {
            return configuration.applyTo(new AllocatorBuilder()).buildGlobal();
        } catch (IllegalArgumentException problem) {
            throw Errors.badGlobalConfiguration(problem, sources(configuration));
        }
    }

    private static String sources(Configuration configuration) {
        return configuration.applied().isEmpty() ? ""
                : " (settings read: " + String.join(", ", configuration.applied()) + ")";
    }
}
