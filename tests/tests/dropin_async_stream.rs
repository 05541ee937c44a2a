//! Drop-in for async-stream: the shapes async-stream's own suite checks, written as our own
//! cases, one module each; `use async_ext::{stream, try_stream}` is the only difference from
//! async-stream code.

use async_ext::{stream, try_stream};
use futures::executor::block_on;
use futures::stream::{Stream, StreamExt};

fn collect<S: Stream>(s: S) -> Vec<S::Item> {
    block_on(s.collect())
}

/// A body without `yield` is a stream of `()`, as with async-stream: it ends at once, after
/// running its body when first polled, also where nothing around it names the item type.
mod no_yield {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn an_empty_body_is_an_empty_stream_of_unit() {
        let empty = stream! {};
        assert_eq!(block_on(empty.count()), 0);
    }

    #[test]
    fn the_body_runs_once_on_first_poll() {
        let runs = &Cell::new(0);
        let s = stream! {
            runs.set(runs.get() + 1);
        };
        assert_eq!(runs.get(), 0, "nothing runs before the first poll");
        assert_eq!(block_on(s.count()), 0);
        assert_eq!(runs.get(), 1);
    }

    #[test]
    fn an_empty_stream_of_unit() {
        let items: Vec<()> = collect(stream! {});
        assert!(items.is_empty());
    }

    #[test]
    fn a_try_stream_reports_its_error() {
        let failing = try_stream! {
            Err::<(), u8>(4)?;
        };
        let items: Vec<Result<(), u8>> = collect(failing);
        assert_eq!(items, [Err(4)]);
    }
}

/// `line!()` inside the body reports the line it is written on: the body's tokens keep their
/// spans (async-stream's `spans_preserved`).
mod spans_preserved {
    use super::*;

    #[test]
    fn line_inside_the_body() {
        let outer = line!();
        let s = stream! {
            yield line!();
            yield line!();
        };
        assert_eq!(collect(s), [outer + 2, outer + 3]);
    }
}

/// The same in a body without `yield` (async-stream's own `spans_preserved` case).
mod spans_preserved_without_yield {
    use super::*;

    #[test]
    fn line_inside_a_body_without_yield() {
        let outer = line!();
        let s = stream! {
            assert_eq!(line!(), outer + 2);
        };
        assert_eq!(block_on(s.count()), 0);
    }
}

/// `yield` inside another macro's input: a `tokio::select!` arm and a user `macro_rules!`.
mod yield_inside_other_macros {
    use super::*;

    macro_rules! twice {
        ($e:expr) => {
            $e;
            $e;
        };
    }

    #[test]
    fn inside_a_macro_rules_argument() {
        let s = stream! {
            twice!(yield 7u8);
            yield 8;
        };
        assert_eq!(collect(s), [7, 7, 8]);
    }

    #[test]
    fn inside_a_select_arm() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let received = runtime.block_on(async {
            let (tx, mut rx) = tokio::sync::mpsc::channel::<u32>(4);
            for n in [3, 1, 4] {
                tx.send(n).await.unwrap();
            }
            drop(tx);
            let s = stream! {
                loop {
                    tokio::select! {
                        next = rx.recv() => match next {
                            Some(n) => yield n * 10,
                            None => break,
                        },
                    }
                }
            };
            s.collect::<Vec<u32>>().await
        });
        assert_eq!(received, [30, 10, 40]);
    }
}
