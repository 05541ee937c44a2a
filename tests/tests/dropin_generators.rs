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
