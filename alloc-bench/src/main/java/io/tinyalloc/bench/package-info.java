/**
 * TinyAlloc's benchmarks: the conventions every suite shares ({@link io.tinyalloc.bench.BenchDefaults})
 * and the malloc-family abstraction the comparisons run on ({@link io.tinyalloc.bench.NativeAllocator}).
 * One sub-package per module under test ({@code sys}, {@code bitmap}, {@code list}, {@code array},
 * {@code core}, {@code api}); {@code peers}, {@code compare}, {@code workloads} and {@code report}
 * hold the side-by-side comparison with other allocators and the runner behind {@code ./bench}.
 */
package io.tinyalloc.bench;
