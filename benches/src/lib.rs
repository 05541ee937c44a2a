//! The benchmark harness of async-ext (see `benches/README.md`).
//!
//! The machine these numbers come from is shared and noisy, so every figure is a ratio against
//! a peer measured in the same run, next to an instruction count (callgrind, repeatable) and
//! an exact allocation count (a counting global allocator). This library holds the harness;
//! the scenarios (async-ext and the peer crates doing the same work) live in the `bench-all`
//! bench target, which `benches/run.sh` builds with fat LTO and runs.

pub mod alloc_counter;
pub mod clock;
pub mod compile;
pub mod executor;
pub mod measure;
pub mod report;
