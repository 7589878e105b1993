package io.tinyalloc;

/**
 * Holds the process-wide allocator of {@link Allocator#global()}, created on first use from the
 * process's configuration.
 *
 * <p>Not a lazy-holder class: a misconfiguration must surface as a clear exception on every call
 * (and be fixable by setting a system property and calling again), not as an
 * {@code ExceptionInInitializerError} followed by {@code NoClassDefFoundError}s.
 */
final class GlobalAllocator {

    private static volatile Allocator instance;

    private GlobalAllocator() {
    }

    static Allocator instance() {
        Allocator allocator = instance;
        return allocator != null ? allocator : create();
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
