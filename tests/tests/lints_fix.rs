//! `cargo fix` on code with a warning of the user's own leaves it compiling: the fix rustc
//! suggests lands on the user's tokens inside each macro's input, never on generated code.
//! (A wrong suggestion used to rewrite `async fn one() { yield_!(1) }` to `async fn one()
//! yield_…`, and `cargo fix` then gave up with "the compiler reported errors".)
//!
//! The test copies a small crate depending on async-ext into a scratch directory, runs
//! `cargo fix --allow-dirty --allow-no-vcs --offline` on it, and checks that every fix was
//! applied and that `cargo check` is then warning-free.

use std::path::{Path, PathBuf};
use std::process::Command;

/// One warning per macro, each of a kind `cargo fix` repairs: an unused `mut`, and an unused
/// import inside a body.
const USER_CODE: &str = r"
use async_ext::{async_stream, async_trait_ext, for_await, Stream};

#[async_trait_ext]
pub trait Boxed {
    async fn size(&self) -> usize { let mut n = 1; n }
    async fn get(&self) -> u8;
}

pub struct Memory;

#[async_trait_ext]
impl Boxed for Memory {
    async fn get(&self) -> u8 { let mut n = 2; n }
}

#[async_trait_ext(native)]
pub trait Native {
    async fn size(&self) -> usize { let mut n = 3; n }
}

#[async_stream(item = u8)]
pub async fn one() { let mut n = 4; yield_!(n) }

#[for_await]
pub async fn total(numbers: impl Stream<Item = u8>) -> u8 {
    let mut sum = 0;
    #[for_await]
    for x in numbers { let mut y = x; sum += y }
    sum
}

#[async_ext::async_scope]
pub async fn scoped() -> u8 { let mut n = 5; n }
";

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

#[test]
fn cargo_fix_repairs_user_warnings_inside_every_macro() {
    let root = workspace_root();
    let scratch = root.join("target").join("lints_fix");
    let krate = scratch.join("user");
    let _ = std::fs::remove_dir_all(&krate);
    std::fs::create_dir_all(krate.join("src")).expect("scratch directory");
    let support = root.join("support");
    std::fs::write(
        krate.join("Cargo.toml"),
        format!(
            "[package]\nname = \"lints-fix-user\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\
             publish = false\n\n[dependencies]\nasync-ext = {{ path = {:?} }}\n\n[workspace]\n",
            support.display().to_string()
        ),
    )
    .expect("manifest");
    // The workspace's lock file, so the scratch crate builds the same versions offline.
    std::fs::copy(root.join("Cargo.lock"), krate.join("Cargo.lock")).expect("lock file");
    std::fs::write(krate.join("src").join("lib.rs"), USER_CODE).expect("source");
    let target = scratch.join("target");

    let fix = cargo()
        .args([
            "fix",
            "--lib",
            "--allow-dirty",
            "--allow-no-vcs",
            "--offline",
        ])
        .current_dir(&krate)
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .expect("cargo fix runs");
    let fix_log = String::from_utf8_lossy(&fix.stderr);
    assert!(fix.status.success(), "{fix_log}");
    assert!(
        !fix_log.contains("reported errors"),
        "a fix broke the code: {fix_log}"
    );

    let fixed = std::fs::read_to_string(krate.join("src").join("lib.rs")).expect("fixed source");
    assert_eq!(
        fixed.matches("let mut").count(),
        1,
        "every unused `mut` removed, the used one kept:\n{fixed}"
    );
    for binding in [
        "let n = 1;",
        "let n = 2;",
        "let n = 3;",
        "let n = 4;",
        "let n = 5;",
        "let y = x;",
    ] {
        assert!(fixed.contains(binding), "`{binding}` missing:\n{fixed}");
    }

    let check = cargo()
        .args(["check", "--lib", "--offline", "--message-format=short"])
        .current_dir(&krate)
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .expect("cargo check runs");
    let check_log = String::from_utf8_lossy(&check.stderr);
    assert!(check.status.success(), "{check_log}");
    assert!(!check_log.contains("warning:"), "{check_log}");
}
