package io.tinyalloc.bench.trim;

import io.tinyalloc.bench.NativeAllocator;
import io.tinyalloc.bench.peers.Peers;

/**
 * One variant of the phase benchmark in a JVM of its own, started by {@link PhaseReport} as
 * {@code java -Xms64m -Xmx64m -XX:+AlwaysPreTouch ... PhaseMain <variant> <cycles> <peakMiB>
 * <valleyMiB> <quietMillis>}. Warms up with a small cycle, takes the RSS baseline, runs the cycles
 * while a sampler records RSS every 10 ms, and prints one {@link PhaseResult} line.
 */
public final class PhaseMain {

    private static final long MIB = 1L << 20;
    private static final long SAMPLE_MILLIS = 10;

    private PhaseMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 5) {
            System.err.println("usage: PhaseMain <variant> <cycles> <peakMiB> <valleyMiB> <quietMillis>");
            System.exit(2);
        }
        PhaseVariant variant = PhaseVariant.byLabel(args[0]);
        int cycles = Integer.parseInt(args[1]);
        long peakBytes = Long.parseLong(args[2]) * MIB;
        long valleyBytes = Long.parseLong(args[3]) * MIB;
        long quietMillis = Long.parseLong(args[4]);
        try (NativeAllocator allocator = Peers.create(variant.peer)) {
            PhaseWorkload workload = new PhaseWorkload(allocator, variant.mallocTrim);
            workload.cycle(peakBytes / 8, valleyBytes / 8, quietMillis);
            workload.clear();
            Thread.sleep(quietMillis);
            workload.operations = 0;
            workload.activeNanos = 0;
            RssSampler sampler = new RssSampler(SAMPLE_MILLIS, 1 << 16);
            sampler.start();
            Thread.sleep(50);
            for (int cycle = 0; cycle < cycles; cycle++) {
                workload.cycle(peakBytes, valleyBytes, quietMillis);
            }
            workload.clear();
            Thread.sleep(quietMillis);
            long[][] samples = sampler.stop();
            System.out.println(PhaseResult.of(variant.label, workload.operations, workload.activeNanos, samples)
                    .toLine());
        }
    }
}
