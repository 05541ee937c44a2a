//! Whether generated code can name the support crate, for the one part of boxed mode that
//! needs it: an impl's asyncness probe (the messages of its checks live in the support crate).
//!
//! Frameworks re-export the attribute (`pub use async_ext::async_trait_ext as async_trait;`) to
//! users who never depend on async-ext, as they do with async-trait's. There `::async_ext`
//! names nothing, and a macro cannot ask the compiler; it can read the manifest of the crate
//! being compiled (cargo passes its directory), as proc-macro-crate does. No mention of
//! async-ext there: the probe is left out, the impl compiles as with async-trait, and a
//! missing `async` gets rustc's own error instead of ours.

use std::path::Path;

use crate::common::crate_path::CratePath;

/// Whether `krate` can be named from the crate being compiled: always when given with
/// `crate = …`, and when the crate's manifest mentions async-ext (or cannot be read).
pub(crate) fn can_name_support_crate(krate: &CratePath) -> bool {
    if !krate.is_default() {
        return true;
    }
    let Some(dir) = std::env::var_os("CARGO_MANIFEST_DIR") else {
        return true;
    };
    match std::fs::read_to_string(Path::new(&dir).join("Cargo.toml")) {
        Ok(manifest) => mentions_support_crate(&manifest),
        Err(_) => true,
    }
}

// Input:  a manifest's text
// Output: whether a line's key or table names async-ext: `async-ext = "0.1"`,
//         `async-ext.workspace = true`, `[dependencies.async-ext]`, `async_ext = { … }`, or the
//         package itself (`name = "async-ext"`, for its own tests). A dependency renamed to
//         anything else is not `::async_ext` (`crate = …` names it).
fn mentions_support_crate(manifest: &str) -> bool {
    manifest.lines().any(|line| {
        let line = line.split('#').next().unwrap_or_default().trim();
        let key = line
            .trim_start_matches('[')
            .trim_end_matches(']')
            .split(['=', ' '])
            .next()
            .unwrap_or_default();
        let names = |name: &str| name.trim_matches('"') == "async-ext";
        key.split('.')
            .any(|part| names(part) || part == "async_ext")
            || key == "name"
                && line
                    .split('=')
                    .nth(1)
                    .is_some_and(|value| names(value.trim()))
    })
}

#[cfg(test)]
mod tests {
    use super::mentions_support_crate;

    #[test]
    fn every_way_a_manifest_names_the_support_crate() {
        for manifest in [
            "[dependencies]\nasync-ext = \"0.1\"",
            "[dependencies]\nasync-ext = { version = \"0.1\", features = [\"std\"] }",
            "[dev-dependencies]\nasync-ext.workspace = true",
            "[dependencies.async-ext]\nversion = \"0.1\"",
            "[dependencies]\nasync_ext = { path = \"../support\" }",
            "[package]\nname = \"async-ext\"",
        ] {
            assert!(mentions_support_crate(manifest), "{manifest}");
        }
    }

    #[test]
    fn a_manifest_without_it() {
        for manifest in [
            "[dependencies]\nreexporter = { path = \"../reexporter\" }",
            "[dependencies]\nasync-ext-macros = \"0.1\"",
            "# async-ext = \"0.1\"\n[dependencies]\nserde = \"1\"",
            "[package]\nname = \"async-ext-tests\"",
            // Renamed: `::async_ext` names nothing unless `crate = ::renamed` is given.
            "[dependencies]\nrenamed = { package = \"async-ext\", version = \"0.1\" }",
        ] {
            assert!(!mentions_support_crate(manifest), "{manifest}");
        }
    }
}
