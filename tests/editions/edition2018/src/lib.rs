//! Edition 2018: every async-ext macro, expanded in a crate that denies warnings (the workspace
//! enables `clippy::pedantic`, and CI runs clippy with `-D warnings`). The test runs every
//! expansion, so the crate proves they work, not only that they build.

#![deny(warnings)]

include!("../../shared.rs");

#[cfg(test)]
mod tests {
    #[test]
    fn every_macro_runs() {
        super::run_all(futures::executor::block_on);
    }
}
