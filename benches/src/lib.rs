//! Benchmark harness of async-ext: see `benches/README.md`.
