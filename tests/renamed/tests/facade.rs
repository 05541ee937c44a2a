//! The attribute macros reached through a crate that re-exports async-ext, without
//! `crate = …`: the calling manifest names no `async-ext`, so `::async_ext` cannot resolve, and
//! each mistake must give one error, ours, at the attribute, naming `crate = …` (not rustc's
//! "cannot find `async_ext` in the crate root", once per generated path). trybuild cannot show
//! this: the crate it builds always depends on async-ext. So this test runs cargo on a fixture
//! crate (`fixtures/facade_user`, see the expectations written on each of its cases).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

#[test]
fn a_crate_without_the_dependency_is_told_to_write_crate_path() {
    let user = copy_fixtures();
    // The target directory of `tests/tests/no_std.rs`, which builds the same syn and macros:
    // sharing it builds them once (test binaries run one after another, so no lock is shared).
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let target = tmp.parent().unwrap_or(tmp).join("no_std");
    let output = Command::new(env!("CARGO"))
        .args(["check", "--offline", "--quiet", "--message-format=short"])
        .current_dir(&user)
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "the fixture compiled:\n{stderr}");
    let diagnostics: Vec<&str> = stderr
        .lines()
        .filter(|line| line.contains("error") || line.contains("warning"))
        .filter(|line| !line.starts_with("error: could not compile"))
        .collect();
    let missing = "error: this crate's Cargo.toml does not depend on `async-ext`";
    // One error per attribute that needs `crate = …` and lacks it: the `#[async_scope]` fn
    // (line 11). None for the boxed trait and impl (line 5), whose expansion names no runtime
    // path (boxing reaches `Box` itself and the asyncness probe is left out), and none for the
    // nested `#[async_stream]` methods, which inherit the outer `crate = …`.
    let expected = [(
        "src/lib.rs:11:1: ",
        "`#[async_scope(crate = ::facade::async_ext)]`",
    )];
    assert_eq!(diagnostics.len(), expected.len(), "{stderr}");
    for (line, (place, option)) in diagnostics.iter().zip(expected) {
        let message = line
            .strip_prefix(place)
            .unwrap_or_else(|| panic!("{stderr}"));
        assert!(message.starts_with(missing), "{stderr}");
        assert!(message.contains(option), "{stderr}");
    }
}

/// Copies both fixture crates into this test's scratch directory (the source tree stays
/// untouched), with an absolute path to the runtime crate and the workspace's Cargo.lock, so
/// `--offline` resolves the versions this workspace already has. Returns the user crate's dir.
fn copy_fixtures() -> PathBuf {
    let package = Path::new(env!("CARGO_MANIFEST_DIR"));
    let workspace = package
        .join("../..")
        .canonicalize()
        .expect("workspace root");
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("facade-fixtures");
    for name in ["facade", "facade_user"] {
        let from = package.join("fixtures").join(name);
        let to = scratch.join(name);
        fs::create_dir_all(to.join("src")).expect("scratch directory");
        for file in ["Cargo.toml", "src/lib.rs"] {
            let text = fs::read_to_string(from.join(file)).expect("fixture file");
            let support = workspace.join("support");
            let text = text.replace("../../../../support", &support.to_string_lossy());
            fs::write(to.join(file), text).expect("fixture copy");
        }
    }
    let user = scratch.join("facade_user");
    fs::copy(workspace.join("Cargo.lock"), user.join("Cargo.lock")).expect("lockfile copy");
    user
}
