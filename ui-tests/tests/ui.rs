//! Compile-fail tests: one misuse per file under `tests/ui/<extension>/`, each with the
//! `.stderr` we reviewed, and warning-free pass cases under `tests/pass/`. One test per
//! extension, so `cargo test -p async-ext-ui-tests -- streams` checks one folder.
//! Regenerate with `TRYBUILD=overwrite` and read every changed `.stderr` before committing.

fn compile_fail(folder: &str) {
    trybuild::TestCases::new().compile_fail(format!("tests/ui/{folder}/*.rs"));
}

#[test]
fn traits() {
    compile_fail("traits");
}

#[test]
fn traits_native() {
    compile_fail("traits_native");
}

#[test]
fn closures() {
    compile_fail("closures");
}

#[test]
fn streams() {
    compile_fail("streams");
}

#[test]
fn for_await() {
    compile_fail("for_await");
}

#[test]
fn async_drop() {
    compile_fail("async_drop");
}

#[test]
fn pass() {
    trybuild::TestCases::new().pass("tests/pass/*.rs");
}
