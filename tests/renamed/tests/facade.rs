//! The attribute macros reached through a crate that re-exports async-ext, without
//! `crate = …`: the calling manifest names no `async-ext`, so `::async_ext` cannot resolve, and
//! the one error must be ours, at the attribute, naming `crate = …` (not rustc's "cannot find
//! `async_ext` in the crate root", once per generated path). trybuild cannot show this: the
//! crate it builds always depends on async-ext. So this test runs cargo on a fixture crate.

use std::path::PathBuf;
use std::process::Command;

#[test]
fn a_crate_without_the_dependency_is_told_to_write_crate_path() {
    let package = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let root = package.join("../..");
    // The target directory of `tests/tests/no_std.rs`, which builds the same syn and macros:
    // sharing it builds them once (test binaries run one after another, so no lock is shared).
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| root.join("target"), PathBuf::from)
        .join("no_std");
    let output = Command::new(env!("CARGO"))
        .args(["check", "--offline", "--quiet", "--message-format=short"])
        .current_dir(package.join("fixtures/facade_user"))
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "the fixture compiled:\n{stderr}");
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|line| line.contains("error") && !line.starts_with("error: could not compile"))
        .collect();
    assert_eq!(errors.len(), 1, "expected one error:\n{stderr}");
    assert!(
        errors[0].starts_with(
            "src/lib.rs:3:1: error: this crate's Cargo.toml does not depend on `async-ext`"
        ),
        "{stderr}"
    );
    assert!(
        errors[0].contains("`#[async_trait_ext(crate = ::facade::async_ext)]`"),
        "{stderr}"
    );
}
