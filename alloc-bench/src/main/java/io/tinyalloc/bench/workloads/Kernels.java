package io.tinyalloc.bench.workloads;

import java.util.List;

/** The registry of kernels by name. */
public final class Kernels {

    /** Every kernel, in report order. */
    public static final List<String> NAMES = List.of(Larson.NAME, XmallocTest.NAME, MStress.NAME, GlibcThread.NAME,
            CacheScratch.NAME, MallocLarge.NAME, ThreadExitLeak.NAME);

    private Kernels() {
    }

    public static Kernel create(String name, Scale scale) {
        return switch (name) {
            case Larson.NAME -> new Larson(Larson.Config.of(scale));
            case XmallocTest.NAME -> new XmallocTest(XmallocTest.Config.of(scale));
            case MStress.NAME -> new MStress(MStress.Config.of(scale));
            case GlibcThread.NAME -> new GlibcThread(GlibcThread.Config.of(scale));
            case CacheScratch.NAME -> new CacheScratch(CacheScratch.Config.of(scale));
            case MallocLarge.NAME -> new MallocLarge(MallocLarge.Config.of(scale));
            case ThreadExitLeak.NAME -> new ThreadExitLeak(ThreadExitLeak.Config.of(scale));
            default -> throw WorkloadErrors.unknownKernel(name, NAMES);
        };
    }
}
