//! `bench-all`: every benchmark of async-ext against its peers, in one run, written to
//! `benches/RESULTS.md` (and, by a full run, the README's "Performance" section). Run it with
//! `benches/run.sh` (release, fat LTO); see `benches/README.md`.
//!
//! Flags: `--quick` (fewer samples, no compile-time rows), `--no-valgrind`, `--no-compile`,
//! `--no-clean-build`, `--no-runtime`, `--out PATH`. `--instr ID N` runs one scenario `N` times and exits: that
//! is how the harness runs each scenario under callgrind.

// The inlined call paths are inlined on purpose: they are the rows where the optimiser may
// remove a peer's box, measured beside the `#[inline(never)]` ones.
#![allow(clippy::inline_always)]

mod closures;
mod consume;
mod scope;
mod streams;
mod traits;

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use async_ext_benches::alloc_counter::CountingAllocator;
use async_ext_benches::compile::{CleanBuild, Scratch, Spread, Style, ratio_spread};
use async_ext_benches::measure::{
    Group, Measured, allocations_per_op, instructions_per_op, median, time_interleaved,
};
use async_ext_benches::report::{
    GroupResult, Headline, Verdict, fmt_limit, fmt_ratio, headline_markdown, replace_section,
};

#[global_allocator]
static ALLOC: CountingAllocator = CountingAllocator;

/// Operations per callgrind run (the count is the difference between `2N` and `N`).
const INSTRUCTION_OPS: u64 = 20_000;
/// Operations per allocation count (likewise a difference between `2N` and `N`).
const ALLOCATION_OPS: u64 = 10_000;
/// Methods of the generated trait of the `cargo check` rows.
const METHODS: usize = 300;

/// Rows that performance.md asks for and this run does not measure, with the reason.
const NOT_MEASURED: &[&str] = &[];

fn groups() -> Vec<Group> {
    vec![
        traits::static_calls(),
        traits::dyn_calls(),
        traits::dyn_calls_large_future(),
        streams::per_item_static(),
        streams::per_item_dyn(),
        streams::per_stream(),
        consume::group(),
        closures::group(),
        closures::dyn_group(),
        closures::dyn_large_group(),
        scope::group(),
    ]
}

#[allow(clippy::struct_excessive_bools)] // one bool per command-line flag
struct Options {
    samples: usize,
    sample_ms: f64,
    valgrind: bool,
    compile: bool,
    clean_build: bool,
    check_runs: usize,
    runtime: bool,
    out: PathBuf,
    /// Rewrite the README's "Performance" section: only a full run to `RESULTS.md` does.
    readme: bool,
}

impl Options {
    fn parse(args: &[String]) -> Self {
        let quick = args.iter().any(|arg| arg == "--quick");
        let has = |flag: &str| args.iter().any(|arg| arg == flag);
        let out_flag = args
            .iter()
            .position(|arg| arg == "--out")
            .and_then(|at| args.get(at + 1));
        let full_run = !quick
            && out_flag.is_none()
            && [
                "--no-valgrind",
                "--no-compile",
                "--no-clean-build",
                "--no-runtime",
            ]
            .iter()
            .all(|flag| !has(flag));
        let out = out_flag.map_or_else(|| manifest_dir().join("RESULTS.md"), PathBuf::from);
        Options {
            samples: if quick { 5 } else { 21 },
            sample_ms: if quick { 2.0 } else { 5.0 },
            valgrind: !has("--no-valgrind"),
            compile: !quick && !has("--no-compile"),
            clean_build: !quick && !has("--no-compile") && !has("--no-clean-build"),
            check_runs: 7,
            runtime: !has("--no-runtime"),
            out,
            readme: full_run,
        }
    }
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(at) = args.iter().position(|arg| arg == "--instr") {
        return run_one(args.get(at + 1), args.get(at + 2));
    }
    // `cargo bench` passes `--bench`; `cargo test --benches` (or `--all-targets`) runs this
    // binary without it, and must not start a run of several minutes that rewrites files.
    if !args.iter().any(|arg| arg == "--bench") {
        eprintln!("bench-all: not run by `cargo bench`; run `benches/run.sh` to measure");
        return ExitCode::SUCCESS;
    }
    let options = Options::parse(&args);
    if let Err(error) = run_all(&options) {
        eprintln!("bench-all: {error}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// `--instr ID N`: run one scenario, for callgrind.
fn run_one(id: Option<&String>, n: Option<&String>) -> ExitCode {
    let n: Option<u64> = n.and_then(|n| n.parse().ok());
    let groups = groups();
    let scenario = groups
        .iter()
        .flat_map(|group| &group.scenarios)
        .find(|scenario| Some(scenario.id) == id.map(String::as_str));
    let (Some(scenario), Some(n)) = (scenario, n) else {
        eprintln!("usage: bench-all --instr SCENARIO_ID N");
        return ExitCode::FAILURE;
    };
    black_box((scenario.run)(black_box(n)));
    ExitCode::SUCCESS
}

fn run_all(options: &Options) -> Result<(), String> {
    let groups = groups();
    check_same_work(&groups)?;
    let exe = std::env::current_exe().map_err(|error| error.to_string())?;
    let valgrind = options.valgrind && valgrind_works();
    if options.valgrind && !valgrind {
        eprintln!("bench-all: valgrind not found; instruction counts are left out");
    }

    let mut results = Vec::new();
    for group in groups.iter().filter(|_| options.runtime) {
        eprintln!("bench-all: {}", group.title);
        let runs: Vec<fn(u64) -> u64> = group.scenarios.iter().map(|s| s.run).collect();
        let times = time_interleaved(&runs, options.samples, options.sample_ms);
        let mut measured = Vec::new();
        for (scenario, ns) in group.scenarios.iter().zip(times) {
            let instructions = if valgrind {
                Some(instructions_per_op(&exe, scenario.id, INSTRUCTION_OPS)?)
            } else {
                None
            };
            measured.push(Measured {
                ns,
                instructions,
                allocations: allocations_per_op(scenario.run, ALLOCATION_OPS),
            });
        }
        results.push(GroupResult { group, measured });
    }

    let mut compile_section = String::new();
    let mut headlines: Vec<Headline> = results.iter().flat_map(GroupResult::headlines).collect();
    headlines.extend(size_headlines());
    if options.compile {
        eprintln!("bench-all: cargo check of the generated {METHODS}-method traits");
        let (section, rows) = compile_rows(options, valgrind)?;
        compile_section = section;
        headlines.extend(rows);
    }

    let date = command_line("date", &["-u", "+%Y-%m-%d %H:%M UTC"]);
    let markdown = render(
        options,
        valgrind,
        &date,
        &results,
        &headlines,
        &compile_section,
    );
    std::fs::write(&options.out, markdown)
        .map_err(|error| format!("writing {}: {error}", options.out.display()))?;
    eprintln!("bench-all: wrote {}", options.out.display());
    if options.readme {
        let path = manifest_dir().join("../README.md");
        let readme = std::fs::read_to_string(&path)
            .map_err(|error| format!("reading {}: {error}", path.display()))?;
        let updated = replace_section(
            &readme,
            "## Performance",
            &readme_section(&date, &headlines),
        )
        .ok_or("README.md has no `## Performance` section")?;
        std::fs::write(&path, updated)
            .map_err(|error| format!("writing {}: {error}", path.display()))?;
        eprintln!("bench-all: updated the Performance section of README.md");
    }
    Ok(())
}

/// Every scenario of a group must return the same checksum: the rows do the same work.
fn check_same_work(groups: &[Group]) -> Result<(), String> {
    for group in groups {
        let sums: Vec<(&str, u64)> = group
            .scenarios
            .iter()
            .map(|scenario| (scenario.id, (scenario.run)(1_000)))
            .collect();
        if sums.windows(2).any(|pair| pair[0].1 != pair[1].1) {
            return Err(format!(
                "the scenarios of \"{}\" disagree on the result: {sums:?}",
                group.title
            ));
        }
    }
    Ok(())
}

fn valgrind_works() -> bool {
    Command::new("valgrind")
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success())
}

/// The styles of the `cargo check` rows, with each one's target against native.
fn check_styles() -> Vec<(Style, Option<(f64, &'static str)>)> {
    vec![
        (Style::Native, None),
        (Style::AsyncTrait, None),
        (Style::Dynosaur, None),
        (
            Style::ExtBoxed,
            Some((
                1.5,
                "boxed ≤ 1.5× native, and ≤ async-trait in the same run",
            )),
        ),
        (
            Style::ExtNative,
            Some((1.5, "native mode with its companion ≤ 1.5× native")),
        ),
        (Style::ExtNativeNoCompanion, None),
    ]
}

fn compile_rows(options: &Options, valgrind: bool) -> Result<(String, Vec<Headline>), String> {
    let workspace = manifest_dir()
        .parent()
        .map(Path::to_owned)
        .ok_or("benches/ has no parent")?;
    let styles_with_targets = check_styles();
    let styles: Vec<Style> = styles_with_targets
        .iter()
        .map(|(style, _)| *style)
        .collect();
    let scratch = Scratch::create(&workspace, &styles, METHODS)?;
    let runs = scratch.check(&styles, options.check_runs, valgrind)?;
    let fastest_secs: Vec<f64> = runs.seconds.iter().map(|runs| fastest(runs)).collect();

    let mut out = String::new();
    let mut headlines = Vec::new();
    let _ = writeln!(
        out,
        "### `cargo check` of one trait with {METHODS} async methods plus an impl\n\n\
         Debug profile, dependencies already built, incremental compilation off. The rustc \
         command cargo runs for the generated crate (from `cargo check -vv`) is run once under \
         callgrind (rustc is deterministic: the instruction count repeats, and the verdict is \
         judged on it) and {} times for its CPU time (user + system), in interleaved rounds; \
         the time ratio uses the lowest CPU time of each crate.\n",
        options.check_runs
    );
    out.push_str(
        "| crate | instructions (millions) | × native | CPU, lowest (s) | CPU, median (s) | × native | target | verdict |\n",
    );
    out.push_str("|---|---:|---:|---:|---:|---:|---|---|\n");
    for (index, (style, target)) in styles_with_targets.iter().enumerate() {
        let instructions = runs.instructions.as_ref().map(|counts| counts[index]);
        let native_instructions = runs.instructions.as_ref().map(|counts| counts[0]);
        let instructions_ratio = instructions.zip(native_instructions).map(|(a, b)| a / b);
        let time_ratio = fastest_secs[index] / fastest_secs[0];
        let (target_text, verdict) = match target {
            Some((max, text)) => {
                // Judged on instructions when valgrind ran, else on the fastest time.
                let ratio = instructions_ratio.unwrap_or(time_ratio);
                let verdict = if (ratio * 100.0).round() / 100.0 <= *max {
                    Verdict::Pass
                } else {
                    Verdict::Miss(format!("{}× > {}×", fmt_ratio(ratio), fmt_limit(*max)))
                };
                headlines.push(Headline {
                    what: format!("`cargo check`, {METHODS}-method trait"),
                    row: style.label().to_owned(),
                    against: Style::Native.label().to_owned(),
                    instructions_ratio,
                    time_ratio: Some(time_ratio),
                    allocations: None,
                    target: (*text).to_owned(),
                    verdict: verdict.clone(),
                });
                ((*text).to_owned(), verdict.mark())
            }
            None => (String::new(), String::new()),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {:.3} | {:.3} | {} | {target_text} | {verdict} |",
            style.label(),
            instructions.map_or_else(|| "–".to_owned(), |count| format!("{:.0}", count / 1e6)),
            instructions_ratio.map_or_else(|| "–".to_owned(), fmt_ratio),
            fastest_secs[index],
            median(runs.seconds[index].clone()),
            fmt_ratio(time_ratio),
        );
    }

    if options.clean_build {
        eprintln!("bench-all: clean builds of async-ext and async-trait");
        let (section, clean_headlines) = clean_build_rows(&scratch)?;
        out.push_str(&section);
        headlines.extend(clean_headlines);
    }
    Ok((out, headlines))
}

/// Rounds of the clean builds and of the macro crates alone (interleaved).
const CLEAN_BUILD_RUNS: usize = 3;
const ALONE_RUNS: usize = 5;

/// The clean-build and macro-crate-alone sections and their headline rows: each async-ext
/// crate against async-trait, as the median of the round-by-round ratios of CPU time, with
/// their spread (lowest–highest).
fn clean_build_rows(scratch: &Scratch) -> Result<(String, Vec<Headline>), String> {
    let mut out = String::new();
    let mut headlines = Vec::new();
    let crates = CleanBuild::ALL;
    let builds = scratch.clean_builds(&crates, CLEAN_BUILD_RUNS)?;
    let cpu: Vec<Vec<f64>> = builds
        .iter()
        .map(|runs| runs.iter().map(|build| build.cpu).collect())
        .collect();
    let wall: Vec<Vec<f64>> = builds
        .iter()
        .map(|runs| runs.iter().map(|build| build.wall).collect())
        .collect();
    let _ = writeln!(
        out,
        "\n### Clean build of a crate using the library\n\n\
         `cargo build` (debug) of an empty crate depending on the library, from an empty \
         target directory, {CLEAN_BUILD_RUNS} interleaved rounds. CPU time is user + system \
         time of cargo and every process it ran, which other work on the machine disturbs far \
         less than the wall clock; the verdict is judged on the median of the round-by-round \
         CPU ratios, shown with their spread (lowest–highest).\n\n\
         | crate | CPU, median (s) | × async-trait (spread) | wall, median (s) | target | verdict |\n\
         |---|---:|---:|---:|---|---|"
    );
    let targets = [
        None,
        Some((1.2, "≤ 1.2× async-trait's")),
        Some((1.0, "≤ 1.0× async-trait's")),
    ];
    let labels = [
        "async-trait (with syn, quote, proc-macro2)",
        "async-ext, default features (async-ext-macros with syn, quote, proc-macro2; futures-core)",
        "async-ext, only the `traits` feature",
    ];
    for index in 0..crates.len() {
        let row = spread_row(&cpu[index], &cpu[0], targets[index]);
        let _ = writeln!(
            out,
            "| {} | {:.2} | {} | {:.2} | {} | {} |",
            labels[index],
            median(cpu[index].clone()),
            row.ratio_text,
            median(wall[index].clone()),
            row.target,
            row.verdict.as_ref().map(Verdict::mark).unwrap_or_default(),
        );
        headlines.extend(row.time_headline(
            "clean build of a crate using the library (CPU time)",
            labels[index],
        ));
    }

    eprintln!("bench-all: the macro crates alone");
    let alone = scratch.macro_crates_alone(&crates, ALONE_RUNS)?;
    let _ = writeln!(
        out,
        "\n### The macro crate alone, its dependencies built\n\n\
         The rustc command cargo runs for the macro crate (from `cargo build -vv`, debug, \
         incremental compilation off), run {ALONE_RUNS} times in interleaved rounds with syn, \
         quote and proc-macro2 already built; CPU time, ratios as above.\n\n\
         | crate | CPU, median (s) | × async-trait (spread) | target | verdict |\n\
         |---|---:|---:|---|---|"
    );
    let targets = [None, None, Some((1.5, "≤ 1.5× async-trait's"))];
    let labels = [
        "async-trait",
        "async-ext-macros, default features",
        "async-ext-macros, only `traits`",
    ];
    for index in 0..crates.len() {
        let row = spread_row(&alone[index], &alone[0], targets[index]);
        let _ = writeln!(
            out,
            "| {} | {:.2} | {} | {} | {} |",
            labels[index],
            median(alone[index].clone()),
            row.ratio_text,
            row.target,
            row.verdict.as_ref().map(Verdict::mark).unwrap_or_default(),
        );
        headlines.extend(row.time_headline(
            "the macro crate alone, deps built (CPU time)",
            labels[index],
        ));
    }
    Ok((out, headlines))
}

/// One compile-time row against the reference: its ratio text and, with a target, verdict.
struct SpreadRow {
    spread: Option<Spread>,
    ratio_text: String,
    target: String,
    verdict: Option<Verdict>,
}

impl SpreadRow {
    /// The headline of a judged CPU-time row against async-trait; `None` for a row without a
    /// target (or without runs).
    fn time_headline(self, what: &str, row: &str) -> Option<Headline> {
        let (verdict, spread) = self.verdict.zip(self.spread)?;
        Some(Headline {
            what: what.to_owned(),
            row: row.to_owned(),
            against: "async-trait".to_owned(),
            instructions_ratio: None,
            time_ratio: Some(spread.median),
            allocations: None,
            target: self.target,
            verdict,
        })
    }
}

fn spread_row(runs: &[f64], reference: &[f64], target: Option<(f64, &str)>) -> SpreadRow {
    let spread = ratio_spread(runs, reference);
    let ratio_text = spread.map_or_else(
        || "–".to_owned(),
        |spread| {
            format!(
                "{} ({}–{})",
                fmt_ratio(spread.median),
                fmt_ratio(spread.low),
                fmt_ratio(spread.high)
            )
        },
    );
    let verdict = target.zip(spread).map(|((max, _), spread)| {
        if (spread.median * 100.0).round() / 100.0 <= max {
            Verdict::Pass
        } else {
            Verdict::Miss(format!(
                "{}× > {}×",
                fmt_ratio(spread.median),
                fmt_limit(max)
            ))
        }
    });
    SpreadRow {
        spread,
        ratio_text,
        target: target.map(|(_, text)| text.to_owned()).unwrap_or_default(),
        verdict,
    }
}

fn fastest(runs: &[f64]) -> f64 {
    runs.iter().copied().fold(f64::INFINITY, f64::min)
}

/// The stream sizes' table.
fn sizes_markdown() -> String {
    let mut out = String::from(
        "### Size of a stream for the same body (bytes)\n\n\
         `for i in 0..n { yield i }` (the per-item body), `size_of_val` of the stream before its \
         first poll.\n\n| stream | `size_of` | target | verdict |\n|---|---:|---|---|\n",
    );
    for (label, bytes, limit) in streams::sizes() {
        let (target, verdict) = match limit {
            Some(limit) => (SIZE_TARGET, size_verdict(bytes, limit).mark()),
            None => ("", String::new()),
        };
        let _ = writeln!(out, "| {label} | {bytes} | {target} | {verdict} |");
    }
    out
}

const SIZE_TARGET: &str = "size ≤ async-stream's";

fn size_verdict(bytes: usize, limit: usize) -> Verdict {
    if bytes <= limit {
        Verdict::Pass
    } else {
        Verdict::Miss(format!("{bytes} > {limit} bytes"))
    }
}

/// The headline rows of the stream sizes.
fn size_headlines() -> Vec<Headline> {
    streams::sizes()
        .into_iter()
        .filter_map(|(label, bytes, limit)| {
            let limit = limit?;
            Some(Headline {
                what: "Stream size".to_owned(),
                row: format!("{label}: {bytes} bytes"),
                against: format!("async-stream `stream!`: {limit} bytes"),
                instructions_ratio: None,
                time_ratio: None,
                allocations: None,
                target: SIZE_TARGET.to_owned(),
                verdict: size_verdict(bytes, limit),
            })
        })
        .collect()
}

fn command_line(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .output()
        .ok()
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned())
        .unwrap_or_default()
}

/// The README's "Performance" section: the headline table of this run and its misses.
fn readme_section(date: &str, headlines: &[Headline]) -> String {
    let mut out = format!(
        "Written by `benches/run.sh` from one run on {date}, on a shared 2-core machine; \
         [`benches/RESULTS.md`](benches/RESULTS.md) has every row, the method and the raw \
         figures. Each async-ext row is compared with a peer measured in the same run. The \
         verdicts are judged on instruction counts (callgrind) and exact allocation counts, \
         which repeat from run to run; times on this machine do not, so they are only shown \
         as ratios (\"time ×\").\n\n"
    );
    out.push_str(&headline_markdown(headlines));
    let misses: Vec<&Headline> = headlines
        .iter()
        .filter(|row| matches!(row.verdict, Verdict::Miss(_)))
        .collect();
    if misses.is_empty() {
        out.push_str("\nEvery target was met in this run.\n");
    } else {
        out.push_str("\nWhere async-ext misses its targets in this run:\n\n");
        for row in misses {
            let _ = writeln!(out, "* {}, {}: {}.", row.what, row.row, row.verdict.mark());
        }
    }
    out
}

fn render(
    options: &Options,
    valgrind: bool,
    date: &str,
    results: &[GroupResult<'_>],
    headlines: &[Headline],
    compile_section: &str,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Benchmark results\n\n\
         Written by `benches/run.sh` (which runs `cargo bench -p async-ext-benches --bench \
         bench-all` with fat LTO and one codegen unit) on {}, {}, {} CPUs ({}). One run; do \
         not edit by hand.\n",
        date,
        command_line("rustc", &["--version"]),
        std::thread::available_parallelism().map_or(0, std::num::NonZero::get),
        command_line("uname", &["-m"]),
    );
    out.push_str(
        "**How to read it.** The machine is a shared 2-core VM with other builds running: \
         absolute times drift by 2× from one minute to the next, so a time is only ever shown \
         as a ratio against a peer measured in the same run (interleaved samples: every row \
         of a group once per round). \
         What repeats exactly, and what the verdicts are judged on, are the **instruction \
         counts** (callgrind: the difference between a run of 2N operations and one of N, \
         divided by N) and the **allocation counts** (a counting global allocator, likewise a \
         difference, so they are exact per operation). Every item passes through `black_box`; \
         calls are made from `#[inline(never)]` fns (and, for the trait rows, also from inlined \
         ones, where async-trait's box can disappear).\n\n",
    );
    out.push_str(
        "**Allocation counts** are what the code asks of the global allocator. Where LLVM, after \
         inlining, removes a malloc/free pair (the boxed futures of async-trait and of async-ext's \
         boxed mode in the inlined trait rows), the \
         count still shows the request while the instruction count shows it gone; on every \
         not-inlined and `dyn` row the count is the number of real heap allocations.\n\n",
    );
    if !valgrind {
        out.push_str("valgrind was not available: instruction counts are missing.\n\n");
    }
    let _ = writeln!(
        out,
        "Times: the median of {} samples per row of about {} ms each, on {}.\n",
        options.samples,
        options.sample_ms,
        async_ext_benches::clock::description()
    );
    out.push_str("## Headline: the targets of performance.md\n\n");
    out.push_str(&headline_markdown(headlines));
    if !NOT_MEASURED.is_empty() {
        out.push_str("\nNot measured in this run:\n\n");
        for line in NOT_MEASURED {
            let _ = writeln!(out, "* {line}");
        }
    }
    out.push_str("\n## Runtime, row by row\n\n");
    for result in results {
        out.push_str(&result.markdown());
        out.push('\n');
    }
    out.push_str(&sizes_markdown());
    if !compile_section.is_empty() {
        out.push_str("\n## Compile time\n\n");
        out.push_str(compile_section);
    }
    out
}
