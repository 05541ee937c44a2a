//! `async-ext` without its `std` feature, used from a `#![no_std]` crate.
//!
//! In a build of the whole workspace, cargo unifies features and `async-ext` gets `std` (the
//! behaviour tests ask for it), so building `tests/no_std` there proves nothing. This test
//! builds that crate on its own, in a separate target directory (as trybuild does), where the
//! `std` feature is off, and checks that it really is off.

use std::path::PathBuf;
use std::process::Command;

fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the workspace root")
        .to_path_buf()
}

fn cargo(args: &[&str]) -> (bool, String) {
    let root = workspace_root();
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| root.join("target"), PathBuf::from)
        .join("no_std");
    let output = Command::new(env!("CARGO"))
        .args(args)
        .args(["-p", "async-ext-no-std", "--offline"])
        // Not `--target-dir`, which `cargo tree` does not take.
        .env("CARGO_TARGET_DIR", &target)
        .current_dir(&root)
        // The outer `cargo test` may have set flags for its own build; this build is plain.
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .expect("cargo runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

#[test]
fn async_ext_builds_without_std_for_a_no_std_crate() {
    // The feature graph of the crate alone: `async-ext` is in it, its `std` feature is not.
    let (ok, tree) = cargo(&["tree", "-e", "features", "--prefix", "none"]);
    assert!(ok, "cargo tree failed:\n{tree}");
    assert!(
        tree.contains("async-ext v"),
        "async-ext missing from:\n{tree}"
    );
    assert!(
        !tree.contains("async-ext feature \"std\""),
        "the `std` feature is on for the no_std crate:\n{tree}"
    );
    assert!(
        !tree.contains("async-ext feature \"default\""),
        "default features are on for the no_std crate:\n{tree}"
    );

    let (ok, build) = cargo(&["build"]);
    assert!(ok, "the no_std crate does not build:\n{build}");
}
