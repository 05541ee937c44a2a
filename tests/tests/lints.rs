//! Expansions are lint-clean: every async-ext macro that has landed, expanded in a public API
//! under the strictest lints a library might use. Building this file is the test (CI also runs
//! clippy on it with `-D warnings`); the `#[test]`s run each expansion so nothing is dead code.

#![deny(
    warnings,
    clippy::pedantic,
    missing_docs,
    unreachable_pub,
    unused_qualifications,
    elided_lifetimes_in_paths,
    single_use_lifetimes
)]
#![forbid(unsafe_code)]

/// `for await` in free fns, methods and sync fns that build async blocks.
pub mod for_await {
    use async_ext::for_await;
    use futures_core::Stream;
    use std::future::Future;

    /// Sums a stream.
    #[for_await]
    pub async fn total(numbers: impl Stream<Item = u32>) -> u32 {
        let mut sum = 0;
        #[for_await]
        for x in numbers {
            sum += x;
        }
        sum
    }

    /// A type with an async method that loops over a borrowed stream.
    #[derive(Debug, Default)]
    pub struct Summer {
        /// The sum so far.
        pub sum: u64,
    }

    impl Summer {
        /// Adds the first `limit` items of `numbers`, leaving the rest in the stream.
        #[for_await]
        pub async fn add_some<S>(&mut self, numbers: &mut S, limit: usize)
        where
            S: Stream<Item = u64> + Unpin,
        {
            let mut taken = 0;
            #[for_await]
            'items: for x in numbers {
                if taken == limit {
                    break 'items;
                }
                taken += 1;
                self.sum += x;
            }
        }
    }

    /// A sync fn that returns an async block with a loop inside.
    #[for_await]
    pub fn count<S>(numbers: S) -> std::pin::Pin<Box<dyn Future<Output = usize> + Send>>
    where
        S: Stream + Send + 'static,
    {
        Box::pin(async move {
            let mut n = 0;
            #[for_await]
            for _ in numbers {
                n += 1;
            }
            n
        })
    }
}

#[test]
fn expansions_run() {
    use futures::executor::block_on;
    use futures::stream;

    assert_eq!(block_on(for_await::total(stream::iter([1, 2, 3]))), 6);
    let mut summer = for_await::Summer::default();
    let mut numbers = stream::iter([10, 20, 30]);
    block_on(summer.add_some(&mut numbers, 2));
    assert_eq!(summer.sum, 30);
    assert_eq!(block_on(for_await::count(stream::iter(0..5))), 5);
}
