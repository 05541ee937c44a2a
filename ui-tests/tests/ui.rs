//! Compile-fail tests: one misuse per file under `tests/ui/<extension>/`, each with the
//! `.stderr` we reviewed. Regenerate with `TRYBUILD=overwrite cargo test -p async-ext-ui-tests`
//! and read every changed `.stderr` before committing it.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*/*.rs");
    cases.pass("tests/pass/*.rs");
}
