//! Edition 2021: every async-ext macro, expanded in a crate that denies warnings (the workspace
//! enables `clippy::pedantic`, and CI runs clippy with `-D warnings`). The test runs every
//! expansion, so the crate proves they work, not only that they build.

#![deny(warnings)]

include!("../../shared.rs");

/// Edition 2021: a native async closure (no borrow of its own captures) is an `AsyncFn`.
pub async fn native_closure() -> u64 {
    twice(&async |x: u64| x * 10).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_macro_runs() {
        super::run_all(futures::executor::block_on);
    }

    #[test]
    fn native_async_closures_are_async_fns() {
        assert_eq!(futures::executor::block_on(super::native_closure()), 30);
    }
}
