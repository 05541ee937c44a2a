//! The behaviour tests run on every compiler from the minimum (`rust-version`) on; a few test
//! what only a newer compiler can compile. This probe sets one cfg per such capability:
//!
//! * `let_chains`: `if let … && …` in user code (Rust 1.88);
//! * `async_send_hr_assumptions`: a `Send` default body awaiting another method's future
//!   that borrows a trait lifetime (rustc's "lifetime bound not satisfied", issue #100013,
//!   gone in Rust 1.92).

fn main() {
    println!("cargo::rustc-check-cfg=cfg(let_chains)");
    println!("cargo::rustc-check-cfg=cfg(async_send_hr_assumptions)");
    println!("cargo::rerun-if-env-changed=RUSTC");
    let minor = rustc_minor_version().unwrap_or(u32::MAX);
    if minor >= 88 {
        println!("cargo::rustc-cfg=let_chains");
    }
    if minor >= 92 {
        println!("cargo::rustc-cfg=async_send_hr_assumptions");
    }
}

/// `85` for `rustc 1.85.1 (4eb161250 2025-03-15)`; `None` if rustc cannot say (then every
/// test runs, as on a new compiler).
fn rustc_minor_version() -> Option<u32> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let output = std::process::Command::new(rustc)
        .arg("--version")
        .output()
        .ok()?;
    let version = String::from_utf8(output.stdout).ok()?;
    let release = version.split_whitespace().nth(1)?;
    release.split('.').nth(1)?.parse().ok()
}
