/**
 * The trim policy under a phase-changing workload: peaks and valleys of live memory, RSS sampled
 * over time in a dedicated JVM per allocator ({@link io.tinyalloc.bench.trim.PhaseMain}), compared
 * by area under the RSS curve, peak RSS and throughput ({@link io.tinyalloc.bench.trim.PhaseReport}).
 */
package io.tinyalloc.bench.trim;
