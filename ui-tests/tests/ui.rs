//! Compile-fail tests: one misuse per file under `tests/ui/<extension>/`, each with the
//! `.stderr` we reviewed, and warning-free pass cases under `tests/pass/`. One test per
//! extension, so `cargo test -p async-ext-ui-tests -- streams` checks one folder.
//! Regenerate with `TRYBUILD=overwrite` and read every changed `.stderr` before committing.
//!
//! trybuild writes a line per case (and colour codes whenever `TERM` is set, even into a file)
//! straight to the process's stderr, where the test harness cannot capture it. So each test
//! runs its folder in a child process (this same test binary, re-invoked for that one test)
//! and keeps the child's output: a passing folder prints one line, a failing one everything
//! trybuild said. Set `ASYNC_EXT_UI_VERBOSE=1` to see trybuild's own output as it runs.

use std::env;
use std::process::Command;
use std::sync::Mutex;

/// Set in the child process: run trybuild itself instead of re-invoking.
const CHILD: &str = "ASYNC_EXT_UI_CHILD";
/// Set by a user who wants trybuild's output live (no child process).
const VERBOSE: &str = "ASYNC_EXT_UI_VERBOSE";

/// Held while a child runs: the harness runs the tests on parallel threads, and trybuild's own
/// lock between processes (a file it considers stale after 1.5 s) does not hold under load, so
/// two children could build into the same project at once. One child at a time.
static ONE_CHILD_AT_A_TIME: Mutex<()> = Mutex::new(());

enum Kind {
    CompileFail,
    Pass,
}

/// Runs `tests/<pattern>` with trybuild, in a child process unless this is the child.
fn check(test_name: &str, pattern: &str, kind: Kind) {
    if env::var_os(CHILD).is_some() || env::var_os(VERBOSE).is_some() {
        let cases = trybuild::TestCases::new();
        match kind {
            Kind::CompileFail => cases.compile_fail(pattern),
            Kind::Pass => cases.pass(pattern),
        }
        return; // trybuild runs the cases when `cases` drops, and panics on a failure
    }
    let exe = env::current_exe().expect("the path of this test binary");
    // A child that failed poisons the lock; the next one runs anyway.
    let _one_child = ONE_CHILD_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let output = Command::new(exe)
        .args([test_name, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, "1")
        .env("NO_COLOR", "1")
        .output()
        .expect("re-running this test binary as a child process");
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        let stdout = String::from_utf8_lossy(&output.stdout);
        panic!("trybuild failed on {pattern}:\n{stderr}\n{stdout}");
    }
    let passed = stderr
        .lines()
        .filter(|line| line.starts_with("test ") && line.ends_with(" ok"))
        .count();
    assert!(passed > 0, "trybuild ran no case for {pattern}:\n{stderr}");
    println!("{pattern}: {passed} cases as expected");
}

#[test]
fn traits() {
    check("traits", "tests/ui/traits/*.rs", Kind::CompileFail);
}

#[test]
fn traits_native() {
    check(
        "traits_native",
        "tests/ui/traits_native/*.rs",
        Kind::CompileFail,
    );
}

#[test]
fn closures() {
    check("closures", "tests/ui/closures/*.rs", Kind::CompileFail);
}

#[test]
fn streams() {
    check("streams", "tests/ui/streams/*.rs", Kind::CompileFail);
}

#[test]
fn for_await() {
    check("for_await", "tests/ui/for_await/*.rs", Kind::CompileFail);
}

#[test]
fn async_drop() {
    check("async_drop", "tests/ui/async_drop/*.rs", Kind::CompileFail);
}

#[test]
fn pass() {
    check("pass", "tests/pass/*.rs", Kind::Pass);
}
