//! Drop-in for futures-async-stream's attribute form: `#[stream(item = T)]` becomes
//! `#[async_stream(item = T)]` and `yield e` becomes `yield_!(e)`; every argument pattern a
//! plain `async fn` takes works. Also generator methods in native traits, as a library author
//! writes them: `Send` in a `Send` trait, erased by the companion.

use async_ext::{async_stream, async_trait_ext};
use async_ext_tests::yield_now;
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

/// A trait that spells its boxed stream methods out by hand, `'_` and all, implemented with
/// `#[async_stream(boxed)]`: the generated signatures are the ones elision gives, so they match.
mod boxed_methods_of_a_hand_written_trait {
    use super::*;
    use std::pin::Pin;

    trait Numbers {
        fn starting_at(first: i32) -> Pin<Box<dyn Stream<Item = i32> + Send>>;
        fn scaled(&self, count: i32) -> Pin<Box<dyn Stream<Item = i32> + Send + '_>>;
        fn labels(&mut self) -> Pin<Box<dyn Stream<Item = &str> + Send + '_>>;
    }

    struct Scale {
        factor: i32,
        names: Vec<String>,
    }

    impl Numbers for Scale {
        #[async_stream(boxed, item = i32)]
        async fn starting_at(first: i32) {
            yield_!(first);
            yield_!(first + 1);
        }

        #[async_stream(boxed, item = i32)]
        async fn scaled(&self, count: i32) {
            for i in 1..=count {
                yield_!(i * self.factor);
            }
        }

        #[async_stream(boxed, item = &str)]
        async fn labels(&mut self) {
            self.names.push(String::from("last"));
            for name in &self.names {
                yield_!(name.as_str());
            }
        }
    }

    #[test]
    fn each_method_streams_through_the_trait() {
        let mut scale = Scale {
            factor: 3,
            names: vec![String::from("first")],
        };
        assert_eq!(collect(Scale::starting_at(7)), [7, 8]);
        assert_eq!(collect(scale.scaled(3)), [3, 6, 9]);
        assert_eq!(collect(scale.labels()), ["first", "last"]);
        assert_eq!(scale.names.len(), 2);
    }
}

/// An explicit `-> ()`, which futures-async-stream accepts: the same as writing nothing.
mod explicit_unit_return {
    use super::*;

    #[async_stream(item = &'static str)]
    async fn words() -> () {
        yield_!("a");
        yield_!("b");
    }

    #[test]
    fn yields_as_without_it() {
        assert_eq!(collect(words()), ["a", "b"]);
    }
}

/// A generator method of a `Send` native trait is `Send`: a generic `C: Cache + Send + Sync +
/// 'static` can move its stream into a spawned task.
mod native_trait_generator_is_send {
    use super::*;
    use std::sync::Arc;

    #[async_trait_ext(native, dyn = none)]
    trait Cache {
        #[async_stream(item = u64)]
        async fn keys_below(&self, limit: u64);
    }

    struct Memory(Vec<u64>);

    impl Cache for Memory {
        #[async_stream(item = u64)]
        async fn keys_below(&self, limit: u64) {
            for key in &self.0 {
                yield_now().await;
                if *key < limit {
                    yield_!(*key);
                }
            }
        }
    }

    async fn spawn_scan<C: Cache + Send + Sync + 'static>(cache: Arc<C>) -> Vec<u64> {
        tokio::spawn(async move { cache.keys_below(10).collect::<Vec<_>>().await })
            .await
            .unwrap()
    }

    #[test]
    fn the_stream_runs_in_a_spawned_task() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .build()
            .unwrap();
        let keys = runtime.block_on(spawn_scan(Arc::new(Memory(vec![4, 40, 2, 11, 9]))));
        assert_eq!(keys, [4, 2, 9]);
    }
}

/// The companion erases generator methods like any `impl Trait` return, and passes
/// `#[async_stream(boxed)]` ones through as they are.
mod native_trait_generator_through_companion {
    use super::*;

    #[async_trait_ext(native, dyn = DynFeed)]
    trait Feed {
        #[async_stream(item = u32)]
        async fn numbers(&self, count: u32);
        #[async_stream(boxed, item = String)]
        async fn labels(&self);
    }

    struct Counter(u32);

    impl Feed for Counter {
        #[async_stream(item = u32)]
        async fn numbers(&self, count: u32) {
            for i in 0..count {
                yield_!(self.0 + i);
            }
        }
        #[async_stream(boxed, item = String)]
        async fn labels(&self) {
            yield_!(format!("from {}", self.0));
        }
    }

    #[test]
    fn both_kinds_through_the_companion() {
        let erased = DynFeed::boxed(Counter(10));
        assert_eq!(collect(erased.numbers(3)), [10, 11, 12]);
        assert_eq!(collect(erased.labels()), ["from 10"]);
        let borrowed = Counter(1);
        let by_ref = DynFeed::from_ref(&borrowed);
        assert_eq!(collect(by_ref.numbers(2)), [1, 2]);
    }
}

/// `ref x: u8`: the generator binds a reference to its own copy of the argument.
mod ref_argument {
    use super::*;

    #[async_stream(item = u8)]
    async fn twice(ref x: u8) {
        let x: &u8 = x;
        yield_!(*x);
        yield_now().await;
        yield_!(*x * 2);
    }

    #[test]
    fn yields_through_the_reference() {
        assert_eq!(collect(twice(21)), [21, 42]);
    }
}

/// `ref mut buf: Vec<u8>`: the generator owns the vector and mutates it through the binding.
mod ref_mut_argument {
    use super::*;

    #[async_stream(item = usize)]
    async fn grow(ref mut buf: Vec<u8>, steps: u8) {
        for step in 0..steps {
            buf.push(step);
            yield_now().await;
            yield_!(buf.len());
        }
    }

    #[test]
    fn mutations_are_seen_by_later_items() {
        assert_eq!(collect(grow(vec![9, 9], 3)), [3, 4, 5]);
    }
}

/// `#[tracing::instrument]` on a generator method: the span is entered while the stream runs,
/// so every event of the body, between any two items, is inside it.
mod tracing_instrument_generator {
    use super::*;
    use async_ext_tests::tracing_recorder::{Recorder, seen};

    struct Source;

    impl Source {
        #[async_stream(item = u8)]
        #[tracing::instrument(skip(self))]
        async fn items(&self, count: u8) {
            for i in 0..count {
                tracing::info!("producing");
                yield_!(i);
            }
        }
    }

    #[test]
    fn every_step_runs_inside_the_span() {
        let mut items = Vec::new();
        let events = Recorder::record(|| items = collect(Source.items(2)));
        assert_eq!(items, [0, 1]);
        assert_eq!(
            events,
            [
                seen("producing", &["items{count=2}"]),
                seen("producing", &["items{count=2}"])
            ]
        );
    }
}
