/**
 * The runner behind {@code ./bench} ({@link io.tinyalloc.bench.report.BenchMain}): runs the quick or
 * full set or one module's suite with a progress line per benchmark, measures peak RSS in dedicated
 * JVMs, and writes JMH JSON, a Markdown report of ratios and SVG charts (drawn here, no libraries).
 */
package io.tinyalloc.bench.report;
