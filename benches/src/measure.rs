//! Measuring one scenario: time per operation, allocations per operation, instructions per
//! operation.
//!
//! Each scenario is a `fn(n) -> checksum` doing `n` operations (calls, items, streams). The
//! instruction and allocation counts are differences between a run of `2n` and a run of `n`
//! operations, divided by `n`, so set-up costs (building the object, the first poll, lazy
//! initialisation) drop out exactly and only the measured loop remains.

// Operation counts stay far below 2^52, so converting them to `f64` loses nothing, and the
// calibrated sizes are positive and clamped before they are converted back.
#![allow(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss
)]

use std::hint::black_box;
use std::path::Path;
use std::process::Command;

use crate::alloc_counter::allocations;
use crate::clock::elapsed_ns;

/// One way of doing a group's work.
#[derive(Debug)]
pub struct Scenario {
    /// Stable id, used to run the scenario alone under callgrind (`--instr ID N`).
    pub id: &'static str,
    /// What the row says.
    pub label: &'static str,
    /// Does `n` operations and returns a checksum that every scenario of the group must agree
    /// on (so the rows are known to do the same work).
    pub run: fn(u64) -> u64,
    /// The targets from `shared/design/performance.md` this row is judged on (often none).
    pub targets: Vec<crate::report::Target>,
}

/// Scenarios doing the same work, measured together and compared with one peer.
#[derive(Debug)]
pub struct Group {
    /// Heading of the group's table.
    pub title: &'static str,
    /// What one operation is ("call", "item", "stream").
    pub unit: &'static str,
    /// The id of the scenario every ratio of the group is taken against.
    pub peer: &'static str,
    /// One or two sentences: what the operation does, what to look at.
    pub note: &'static str,
    pub scenarios: Vec<Scenario>,
}

/// What was measured for one scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Measured {
    /// Median over the samples of nanoseconds per operation.
    pub ns: f64,
    /// Instructions per operation (callgrind), when valgrind ran.
    pub instructions: Option<f64>,
    /// Allocations per operation, exact.
    pub allocations: f64,
}

/// Operations per timing sample: enough for about `sample_ms` milliseconds, at least 1 000.
#[must_use]
pub fn calibrate(run: fn(u64) -> u64, sample_ms: f64) -> u64 {
    let mut n = 1_000u64;
    loop {
        let (ns, _) = elapsed_ns(|| black_box(run(black_box(n))));
        let elapsed_ms = ns / 1e6;
        if elapsed_ms >= sample_ms / 4.0 || n >= 1 << 30 {
            // Scale to the wanted duration from the last measurement.
            let scaled = (n as f64 * sample_ms / elapsed_ms.max(1e-3)).round();
            return (scaled as u64).clamp(1_000, 1 << 32);
        }
        n *= 4;
    }
}

/// Nanoseconds per operation of each scenario, median of `samples` samples taken in
/// interleaved rounds (every scenario once per round), so that the machine's drift hits every
/// row of a group alike. A sample is the [clock](crate::clock) time of `n` operations over
/// `n`, with `n` calibrated to about `sample_ms` (set-up, once per sample, is negligible).
#[must_use]
pub fn time_interleaved(runs: &[fn(u64) -> u64], samples: usize, sample_ms: f64) -> Vec<f64> {
    let sizes: Vec<u64> = runs.iter().map(|run| calibrate(*run, sample_ms)).collect();
    let mut per_op: Vec<Vec<f64>> = vec![Vec::with_capacity(samples); runs.len()];
    for _ in 0..samples {
        for ((run, &n), out) in runs.iter().zip(&sizes).zip(&mut per_op) {
            let (ns, _) = elapsed_ns(|| black_box(run(black_box(n))));
            out.push(ns / n as f64);
        }
    }
    per_op.into_iter().map(median).collect()
}

/// Allocations per operation: allocations of `2n` operations minus those of `n`, over `n`.
#[must_use]
pub fn allocations_per_op(run: fn(u64) -> u64, n: u64) -> f64 {
    black_box(run(black_box(n)));
    let before = allocations();
    black_box(run(black_box(n)));
    let single = allocations() - before;
    let before = allocations();
    black_box(run(black_box(2 * n)));
    let double = allocations() - before;
    (double as f64 - single as f64) / n as f64
}

/// Instructions per operation of scenario `id`, from two callgrind runs of `exe --instr ID n`
/// and `exe --instr ID 2n`. `Err` says why valgrind could not give a count.
pub fn instructions_per_op(exe: &Path, id: &str, n: u64) -> Result<f64, String> {
    let single = callgrind_total(exe, id, n)?;
    let double = callgrind_total(exe, id, 2 * n)?;
    Ok((double as f64 - single as f64) / n as f64)
}

/// Total instructions of one `exe --instr ID n` run under callgrind.
fn callgrind_total(exe: &Path, id: &str, n: u64) -> Result<u64, String> {
    let output = Command::new("valgrind")
        .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
        .arg(exe)
        .args(["--instr", id, &n.to_string()])
        .output()
        .map_err(|error| format!("cannot run valgrind: {error}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!("valgrind failed on {id}: {stderr}"));
    }
    parse_collected(&stderr)
        .ok_or_else(|| format!("no `Collected :` line from callgrind: {stderr}"))
}

/// The number on callgrind's `==PID== Collected : 123456` summary line.
#[must_use]
pub fn parse_collected(stderr: &str) -> Option<u64> {
    stderr.lines().find_map(|line| {
        let (_, rest) = line.split_once("Collected :")?;
        rest.split_whitespace().next()?.parse().ok()
    })
}

/// The median (the mean of the two middle values for an even count); NaN when empty.
#[must_use]
pub fn median(mut values: Vec<f64>) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values[mid]
    } else {
        f64::midpoint(values[mid - 1], values[mid])
    }
}

#[cfg(test)]
mod tests {
    use super::{median, parse_collected};

    #[test]
    fn reads_callgrind_summary() {
        let stderr = "==42== Callgrind, a call-graph generating cache profiler\n\
                      ==42== Events    : Ir\n==42== Collected : 1234567\n==42==\n\
                      ==42== I   refs:      1,234,567\n";
        assert_eq!(parse_collected(stderr), Some(1_234_567));
        assert_eq!(parse_collected("==1== nothing here\n"), None);
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert!((median(vec![5.0, 1.0, 3.0]) - 3.0).abs() < f64::EPSILON);
        assert!((median(vec![4.0, 1.0, 3.0, 2.0]) - 2.5).abs() < f64::EPSILON);
        assert!(median(Vec::new()).is_nan());
    }
}
