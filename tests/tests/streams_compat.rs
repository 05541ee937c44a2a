//! Compatibility with async-stream: the same typical programs, compiled once with
//! `use async_stream::{stream, try_stream}` and once with `use async_ext::{stream, try_stream}`,
//! must produce the same output (and the output we expect).

use futures::executor::block_on;

/// Expands the programs twice, in `ours` and `theirs`, each with its own import.
macro_rules! programs {
    ($($program:tt)*) => {
        mod ours {
            #[allow(unused_imports)]
            use async_ext::{stream, try_stream};
            $($program)*
        }
        mod theirs {
            #[allow(unused_imports)]
            use async_stream::{stream, try_stream};
            $($program)*
        }
    };
}

programs! {
    use futures::stream::{Stream, StreamExt};
    use futures::pin_mut;

    /// Yield in loops, with `while`, `match` and an early `return`.
    pub(crate) fn numbers(limit: u32) -> impl Stream<Item = u32> {
        stream! {
            for i in 0..limit {
                yield i;
            }
            let mut n = limit;
            while n > 0 {
                n /= 2;
                match n % 2 {
                    0 => yield n * 100,
                    _ => {
                        yield n * 1000;
                    }
                }
                if n == 1 {
                    return;
                }
            }
            yield 999_999;
        }
    }

    /// `for await` over another stream, nested generators.
    pub(crate) fn squares_of_odds(source: impl Stream<Item = u32>) -> impl Stream<Item = String> {
        stream! {
            for await x in source {
                if x % 2 == 0 {
                    continue;
                }
                let inner = stream! {
                    yield x * x;
                };
                for await square in inner {
                    yield format!("{x}^2={square}");
                }
            }
        }
    }

    #[derive(Debug, PartialEq)]
    pub(crate) enum Error {
        Parse(String),
    }

    impl From<std::num::ParseIntError> for Error {
        fn from(error: std::num::ParseIntError) -> Self {
            Error::Parse(error.to_string())
        }
    }

    /// `try_stream!` with `?` and a `From` conversion; the error ends the stream.
    pub(crate) fn parse_all(texts: Vec<&'static str>) -> impl Stream<Item = Result<u32, Error>> {
        try_stream! {
            for text in texts {
                let n: u32 = text.parse()?;
                yield n;
            }
        }
    }

    /// Borrowing arguments.
    pub(crate) fn words(text: &str, min: usize) -> impl Stream<Item = &str> + '_ {
        stream! {
            for word in text.split_whitespace() {
                if word.len() >= min {
                    yield word;
                }
            }
        }
    }

    /// Streams returned from methods that borrow `self`.
    pub(crate) struct Inventory {
        pub(crate) items: Vec<(String, u32)>,
    }

    impl Inventory {
        pub(crate) fn in_stock(&self) -> impl Stream<Item = &str> + '_ {
            stream! {
                for (name, count) in &self.items {
                    if *count > 0 {
                        yield name.as_str();
                    }
                }
            }
        }

        pub(crate) fn totals(&self) -> impl Stream<Item = Result<u32, Error>> + '_ {
            try_stream! {
                let mut total = 0;
                for (_, count) in &self.items {
                    total += count;
                    yield total;
                }
            }
        }
    }

    /// Awaiting inside the body and consuming with `pin_mut!` + `next()`.
    pub(crate) fn delayed(values: Vec<u8>) -> impl Stream<Item = u8> {
        stream! {
            for v in values {
                futures::future::ready(()).await;
                yield v;
            }
        }
    }

    pub(crate) fn run() -> Vec<String> {
        let mut out = Vec::new();
        futures::executor::block_on(async {
            out.push(format!("{:?}", numbers(3).collect::<Vec<_>>().await));
            out.push(format!("{:?}", numbers(12).collect::<Vec<_>>().await));
            let source = futures::stream::iter(1..=5);
            out.push(format!("{:?}", squares_of_odds(source).collect::<Vec<_>>().await));
            out.push(format!("{:?}", parse_all(vec!["1", "22", "x", "4"]).collect::<Vec<_>>().await));
            out.push(format!("{:?}", parse_all(vec![]).collect::<Vec<_>>().await));
            let text = String::from("the quick brown fox jumps");
            out.push(format!("{:?}", words(&text, 5).collect::<Vec<_>>().await));
            let inventory = Inventory {
                items: vec![("apple".into(), 3), ("pear".into(), 0), ("fig".into(), 2)],
            };
            out.push(format!("{:?}", inventory.in_stock().collect::<Vec<_>>().await));
            out.push(format!("{:?}", inventory.totals().collect::<Vec<_>>().await));
            let s = delayed(vec![7, 8, 9]);
            pin_mut!(s);
            let mut seen = Vec::new();
            while let Some(v) = s.next().await {
                seen.push(v);
            }
            out.push(format!("{seen:?} then {:?}", s.next().await));
        });
        out
    }

    /// A stream moved into a task of a multi-threaded runtime (it must be `Send`).
    pub(crate) fn spawned() -> Vec<u32> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .build()
            .unwrap();
        runtime.block_on(async {
            let task = tokio::spawn(async {
                let s = stream! {
                    for i in 0..5u32 {
                        tokio::task::yield_now().await;
                        yield i * 3;
                    }
                };
                s.collect::<Vec<_>>().await
            });
            task.await.unwrap()
        })
    }
}

#[test]
fn typical_programs_behave_the_same_as_with_async_stream() {
    let expected = [
        "[0, 1, 2, 1000]",
        "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 600, 3000, 1000]",
        r#"["1^2=1", "3^2=9", "5^2=25"]"#,
        r#"[Ok(1), Ok(22), Err(Parse("invalid digit found in string"))]"#,
        "[]",
        r#"["quick", "brown", "jumps"]"#,
        r#"["apple", "fig"]"#,
        "[Ok(3), Ok(3), Ok(5)]",
        "[7, 8, 9] then None",
    ];
    let theirs = theirs::run();
    assert_eq!(theirs, expected);
    assert_eq!(ours::run(), theirs);
}

#[test]
fn spawned_streams_behave_the_same_as_with_async_stream() {
    assert_eq!(theirs::spawned(), [0, 3, 6, 9, 12]);
    assert_eq!(ours::spawned(), theirs::spawned());
}

#[test]
fn a_half_consumed_stream_drops_the_same_as_with_async_stream() {
    use futures::StreamExt;
    use std::sync::{Arc, Mutex};

    #[derive(Debug)]
    struct Noisy(&'static str, Arc<Mutex<Vec<&'static str>>>);
    impl Drop for Noisy {
        fn drop(&mut self) {
            self.1.lock().unwrap().push(self.0);
        }
    }

    let ours_log = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&ours_log);
    let ours = async_ext::stream! {
        let _a = Noisy("a", Arc::clone(&log));
        for i in 0..3u8 {
            let _b = Noisy("b", Arc::clone(&log));
            yield i;
        }
    };
    let theirs_log = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&theirs_log);
    let theirs = async_stream::stream! {
        let _a = Noisy("a", Arc::clone(&log));
        for i in 0..3u8 {
            let _b = Noisy("b", Arc::clone(&log));
            yield i;
        }
    };
    let mut ours = Box::pin(ours);
    let mut theirs = Box::pin(theirs);
    assert_eq!(block_on(ours.next()), Some(0));
    assert_eq!(block_on(ours.next()), Some(1));
    assert_eq!(block_on(theirs.next()), Some(0));
    assert_eq!(block_on(theirs.next()), Some(1));
    drop(ours);
    drop(theirs);
    assert_eq!(*theirs_log.lock().unwrap(), ["b", "b", "a"]);
    assert_eq!(*ours_log.lock().unwrap(), *theirs_log.lock().unwrap());
}

/// The shapes async-stream accepts beyond the typical programs above: a body that never
/// yields, `yield` inside other macros' input, user spans kept.
mod drop_in {
    use std::cell::Cell;

    use async_ext::{stream, try_stream};
    use futures::executor::block_on;
    use futures::{Stream, StreamExt};

    fn items<S: Stream>(stream: S) -> Vec<S::Item> {
        block_on(stream.collect())
    }

    /// Compiles only for a stream of `()`.
    fn unit_items(stream: impl Stream<Item = ()>) -> usize {
        block_on(stream.count())
    }

    #[test]
    fn an_empty_body_is_a_stream_of_unit_that_ends_at_once() {
        assert_eq!(unit_items(stream! {}), 0);
    }

    #[test]
    fn a_body_without_yield_runs_once_and_yields_unit_nothing() {
        let counter = Cell::new(0);
        let runs = &counter;
        let body = stream! {
            runs.set(runs.get() + 1);
            let _ = format!("{}", runs.get());
        };
        assert_eq!(counter.get(), 0, "streams are lazy");
        assert_eq!(unit_items(body), 0);
        assert_eq!(counter.get(), 1);
    }

    #[test]
    fn bare_yields_have_unit_items() {
        assert_eq!(unit_items(stream! { yield; yield; }), 2);
    }

    #[test]
    fn a_try_body_without_yield_yields_only_its_error() {
        let failing = try_stream! {
            Err::<(), String>(String::from("no"))?;
        };
        let got: Vec<Result<(), String>> = items(failing);
        assert_eq!(got, [Err(String::from("no"))]);
    }

    #[test]
    fn yield_inside_tokio_select_arms() {
        async fn never() {
            std::future::pending::<()>().await;
        }
        let picked = stream! {
            for i in 0..3u32 {
                tokio::select! {
                    biased;
                    () = never() => yield 0,
                    v = std::future::ready(i) => { yield v * 10; yield v * 10 + 1; }
                }
            }
            // `else` runs when every branch's pattern failed to match.
            tokio::select! {
                Some(v) = std::future::ready(None::<u32>) => yield v,
                else => yield 99,
            }
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let got: Vec<u32> = runtime.block_on(picked.collect());
        assert_eq!(got, [0, 1, 10, 11, 20, 21, 99]);
    }

    #[test]
    fn unit_yield_inside_select_with_an_else_arm() {
        let once = stream! {
            tokio::select! {
                () = std::future::ready(()) => yield,
                else => yield,
            }
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        assert_eq!(runtime.block_on(once.count()), 1);
    }

    #[test]
    fn yield_inside_vec_join_and_assert_macros() {
        let mixed = stream! {
            // Each `yield` is an expression of type `()` here.
            let mut units = vec![yield 1u8, yield 2];
            units.push(());
            assert_eq!(units.len(), 3);
            let ((), ()) = futures::join!(std::future::ready(()), std::future::ready(()));
            assert_eq!({ yield 3; 7 }, 7);
            println!("{:?}", { yield 4; });
        };
        assert_eq!(items(mixed), [1, 2, 3, 4]);
    }

    #[test]
    fn a_nested_stream_inside_a_macro_keeps_its_own_yields() {
        let outer = stream! {
            tokio::select! {
                () = std::future::ready(()) => {
                    let inner = try_stream! {
                        yield 5u8;
                    };
                    let first: Result<u8, ()> = Box::pin(inner).next().await.unwrap();
                    yield first.unwrap() * 2;
                }
            }
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        assert_eq!(runtime.block_on(outer.collect::<Vec<_>>()), [10]);
    }

    #[test]
    fn for_await_inside_a_select_arm() {
        let source = || futures::stream::iter([1u32, 2, 3]);
        let summed = stream! {
            tokio::select! {
                () = std::future::ready(()) => {
                    for await x in source() {
                        yield x + 100;
                    }
                }
            }
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        assert_eq!(
            runtime.block_on(summed.collect::<Vec<_>>()),
            [101, 102, 103]
        );
    }

    #[test]
    fn user_spans_survive_the_expansion() {
        // `line!()` and `column!()` report where the user wrote them, not the macro call.
        let here = line!();
        let lines = stream! {
            yield line!();
            yield column!();
        };
        assert_eq!(items(lines), [here + 2, 19]);
    }
}
