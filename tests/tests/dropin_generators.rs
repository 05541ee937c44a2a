//! Drop-in for futures-async-stream's attribute form: `#[stream(item = T)]` becomes
//! `#[async_stream(item = T)]` and `yield e` becomes `yield_!(e)`; every argument pattern a
//! plain `async fn` takes works. Also generator methods in native traits, as a library author
//! writes them: `Send` in a `Send` trait, erased by the companion.

use async_ext::async_stream;
use futures::executor::block_on;
use futures::stream::{Stream, StreamExt};

fn collect<S: Stream>(s: S) -> Vec<S::Item> {
    block_on(s.collect())
}

/// A tuple pattern and `mut`, as a plain `async fn` takes them.
mod destructuring_arguments {
    use super::*;

    #[async_stream(item = u32)]
    async fn between((low, high): (u32, u32), mut step: u32) {
        let mut at = low;
        while at < high {
            yield_!(at);
            at += step;
            step += 1;
        }
    }

    #[test]
    fn both_patterns_bind() {
        assert_eq!(collect(between((0, 10), 1)), [0, 1, 3, 6]);
    }
}
