#!/bin/sh
# Installs the native peers the benchmarks compare TinyAlloc with (mimalloc and jemalloc) from
# Debian's packages. Without them the benchmark runner skips those peers and says how to install them.
set -e
apt-get update && apt-get install -y libmimalloc2.0 libjemalloc2
