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

/// Every macro, as the edition crates use it (`tests/editions/shared.rs`), now under the lints
/// above.
pub mod every_macro {
    include!("../editions/shared.rs");
}

/// Native traits with generics and associated types: the public `Dyn` companion must carry
/// docs and pass every lint.
pub mod native {
    use async_ext::async_trait_ext;

    /// A keyed store, dispatched statically or through `DynKeyed`.
    #[async_trait_ext(native)]
    pub trait Keyed<K: Send + Sync> {
        /// The stored value.
        type Value: Send;
        /// Reads a value.
        async fn get(&self, key: &K) -> Option<Self::Value>;
        /// Writes a value.
        async fn put(&mut self, key: K, value: Self::Value);
        /// Only for sized implementors, so not in the companion.
        async fn clear(&mut self)
        where
            Self: Sized;
    }

    /// A local-only trait, with a renamed companion.
    #[async_trait_ext(native, ?Send, dyn = LocalDyn)]
    pub trait Local {
        /// Runs once.
        async fn run(&self) -> u8;
    }

    /// A trait without a companion.
    #[async_trait_ext(native, dyn = none)]
    pub trait Plain {
        /// A constant, which a companion could not erase.
        const ID: u8;
        /// Generic, which a companion could not erase either.
        async fn take<T: Send>(&self, value: T) -> T;
    }

    /// One pair.
    #[derive(Debug, Default)]
    pub struct One(Option<(u8, String)>);

    impl Keyed<u8> for One {
        type Value = String;

        async fn get(&self, key: &u8) -> Option<String> {
            self.0
                .as_ref()
                .filter(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
        }

        async fn put(&mut self, key: u8, value: String) {
            self.0 = Some((key, value));
        }

        async fn clear(&mut self) {
            self.0 = None;
        }
    }

    impl Local for One {
        async fn run(&self) -> u8 {
            7
        }
    }

    impl Plain for One {
        const ID: u8 = 1;

        async fn take<T: Send>(&self, value: T) -> T {
            value
        }
    }
}

/// `Send` closures and the boxed generator forms in a public API.
pub mod send_forms {
    use async_ext::{AsyncFnMutSend, async_closure, async_stream};

    /// A closure whose futures are `Send`, so a generic caller can spawn them.
    #[must_use]
    pub fn adder() -> impl AsyncFnMutSend<(u32,), Output = u32> + Send {
        async_closure!({ let mut total = 0u32; } async |x: u32| -> u32 {
            total += x;
            total
        })
    }

    /// Calls a `Send` closure and checks its future is `Send`.
    pub async fn call_twice<F: AsyncFnMutSend<(u32,), Output = u32>>(f: &mut F) -> u32 {
        fn assert_send<T: Send>(value: T) -> T {
            value
        }
        assert_send(f.call_mut_send((1,))).await;
        assert_send(f.call_mut_send((2,))).await
    }

    /// A boxed, `Send` generator over borrowed data.
    #[async_stream(item = u8, boxed)]
    pub async fn bytes(data: &[u8]) {
        for byte in data {
            yield_!(*byte);
        }
    }
}

/// Expansions that once warned in the user's crate.
pub mod regressions {
    use async_ext::{AsyncDrop, async_scope, disarm};

    /// A connection.
    #[derive(Debug)]
    pub struct Conn(pub u8);

    impl AsyncDrop for Conn {
        async fn async_drop(&mut self) {}
    }

    /// A closure owning a guard it never reads, named `_guard` as rustc suggests (tripped
    /// `clippy::used_underscore_binding`); calling it returns `x + 1`.
    #[must_use]
    pub fn guarded(flag: &std::sync::Arc<()>) -> impl async_ext::AsyncFn<(u32,), Output = u32> {
        async_ext::async_closure!({ let _guard = std::sync::Arc::clone(flag); }
            async |x: u32| -> u32 { x + 1 })
    }

    /// An `#[async_drop]` binding whose only use is `disarm!` (warned "unused variable").
    #[async_scope]
    pub async fn open_and_keep(id: u8) -> Conn {
        #[async_drop]
        let kept = Conn(id);
        disarm!(kept)
    }
}

#[test]
fn expansions_run() {
    use futures::executor::block_on;
    use futures::stream;

    every_macro::run_all(block_on);
    assert_eq!(block_on(regressions::open_and_keep(4)).0, 4);
    {
        use async_ext::AsyncFn as _;
        let flag = std::sync::Arc::new(());
        let closure = regressions::guarded(&flag);
        assert_eq!(
            std::sync::Arc::strong_count(&flag),
            2,
            "the closure owns its guard"
        );
        assert_eq!(block_on(closure.call((1,))), 2);
        drop(closure);
        assert_eq!(
            std::sync::Arc::strong_count(&flag),
            1,
            "the guard drops with it"
        );
    }
    block_on(async {
        use async_ext::{AsyncFnMut as _, Stream as _};
        use native::{DynKeyed, Keyed as _, Local as _, LocalDyn, Plain as _};

        let mut one = native::One::default();
        one.put(1, String::from("a")).await;
        assert_eq!(DynKeyed::from_ref(&one).get(&1).await.as_deref(), Some("a"));
        assert_eq!(LocalDyn::from_ref(&one).run().await, 7);
        assert_eq!(one.take(3u8).await, 3);
        assert_eq!(<native::One as native::Plain>::ID, 1);
        one.clear().await;
        assert_eq!(one.get(&1).await, None);

        let mut adder = send_forms::adder();
        assert_eq!(send_forms::call_twice(&mut adder).await, 3);
        assert_eq!(adder.call_mut((10,)).await, 13);

        let data = [4, 5];
        let stream = send_forms::bytes(&data);
        assert_eq!(stream.size_hint().0, 0);
        assert_eq!(every_macro_collect(stream).await, [4, 5]);
    });

    assert_eq!(block_on(for_await::total(stream::iter([1, 2, 3]))), 6);
    let mut summer = for_await::Summer::default();
    let mut numbers = stream::iter([10, 20, 30]);
    block_on(summer.add_some(&mut numbers, 2));
    assert_eq!(summer.sum, 30);
    assert_eq!(block_on(for_await::count(stream::iter(0..5))), 5);
}

#[async_ext::for_await]
async fn every_macro_collect<S: futures_core::Stream>(stream: S) -> Vec<S::Item> {
    let mut items = Vec::new();
    #[for_await]
    for item in stream {
        items.push(item);
    }
    items
}
