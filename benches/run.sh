#!/bin/sh
# Runs every benchmark of async-ext against its peers and writes benches/RESULTS.md (a full
# run, without flags, also rewrites the "Performance" section of README.md from the same run).
#
#   benches/run.sh            # the full run (a few minutes of runtime rows, then compile time)
#   benches/run.sh --quick    # fewer samples, no compile-time rows (to try a change)
#
# Other flags: --no-valgrind, --no-compile, --no-clean-build, --no-runtime, --out PATH.
# Release build with fat LTO and one codegen unit, set here through cargo's environment so the
# workspace's profiles stay as they are. Needs valgrind for the instruction counts.
set -eu
cd "$(dirname "$0")/.."
export CARGO_PROFILE_BENCH_LTO=fat
export CARGO_PROFILE_BENCH_CODEGEN_UNITS=1
exec cargo bench -p async-ext-benches --bench bench-all -- "$@"
