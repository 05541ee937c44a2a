//! `#[for_await]` loops: a rewritten loop behaves as a `for` loop over a stream.

use std::cell::Cell;
use std::fmt::Write;

use async_ext::for_await;
use futures::executor::block_on;
use futures::stream::{self, Stream, StreamExt};

/// Compiles only for `!Unpin` types: for an `Unpin` type both impls apply and `A` is ambiguous
/// (the trick of `static_assertions::assert_not_impl_any!`).
trait AmbiguousIfUnpin<A> {}
impl<T: ?Sized> AmbiguousIfUnpin<()> for T {}
impl<T: ?Sized + Unpin> AmbiguousIfUnpin<u8> for T {}
fn assert_not_unpin<T: AmbiguousIfUnpin<A>, A>(_: &T) {}

/// `0..n` as a stream that is `!Unpin` (its state holds an `async` block), so the loop must pin
/// it itself; every item really suspends once.
fn not_unpin(n: u32) -> impl Stream<Item = u32> {
    stream::unfold(0, move |i| async move {
        async_ext_tests::yield_now().await;
        (i < n).then_some((i, i + 1))
    })
}

#[for_await]
async fn collect_all<S: Stream<Item = u32>>(s: S) -> Vec<u32> {
    let mut seen = Vec::new();
    #[for_await]
    for x in s {
        seen.push(x);
    }
    seen
}

#[test]
fn visits_every_item_in_order_of_a_stream_that_is_not_unpin() {
    let s = not_unpin(5);
    assert_not_unpin(&s);
    assert_eq!(block_on(collect_all(s)), [0, 1, 2, 3, 4]);
    assert_eq!(block_on(collect_all(stream::iter(vec![7, 8]))), [7, 8]);
    assert_eq!(block_on(collect_all(stream::empty())), Vec::<u32>::new());
}

#[for_await]
async fn sum_of<S: Stream<Item = u32>>(make: impl FnOnce() -> S) -> u32 {
    let mut sum = 0;
    #[for_await]
    for x in make() {
        sum += x;
    }
    sum
}

#[test]
fn evaluates_the_stream_expression_once() {
    let built = Cell::new(0);
    let sum = block_on(sum_of(|| {
        built.set(built.get() + 1);
        stream::iter(1..=3)
    }));
    assert_eq!((sum, built.get()), (6, 1));
}

#[for_await]
async fn break_continue_and_labels() -> Vec<(u32, u32)> {
    let mut pairs = Vec::new();
    #[for_await]
    'outer: for a in stream::iter(0..4) {
        if a == 1 {
            continue;
        }
        #[for_await]
        'inner: for b in not_unpin(10) {
            if b == 2 {
                continue 'inner;
            }
            if b == 3 {
                break 'inner;
            }
            if a == 3 {
                break 'outer;
            }
            pairs.push((a, b));
        }
    }
    pairs
}

#[test]
fn break_continue_and_labels_behave_as_in_a_for_loop() {
    assert_eq!(
        block_on(break_continue_and_labels()),
        [(0, 0), (0, 1), (2, 0), (2, 1)]
    );
}

#[for_await]
async fn mixes_plain_and_awaited_loops() -> Vec<String> {
    let mut out = Vec::new();
    for word in ["a", "b"] {
        #[for_await]
        for n in stream::iter(1..=2) {
            for _ in 0..n {
                out.push(format!("{word}{n}"));
            }
        }
    }
    out
}

#[test]
fn nests_inside_and_around_plain_loops() {
    assert_eq!(
        block_on(mixes_plain_and_awaited_loops()),
        ["a1", "a2", "a2", "b1", "b2", "b2"]
    );
}

#[for_await]
async fn take_two_then_rest() -> (Vec<u32>, Vec<u32>) {
    let mut numbers = stream::iter(1..=5);
    let mut head = Vec::new();
    #[for_await]
    for x in &mut numbers {
        head.push(x);
        if head.len() == 2 {
            break;
        }
    }
    let rest = numbers.collect().await;
    (head, rest)
}

#[test]
fn a_stream_by_mut_reference_can_be_consumed_further_after_break() {
    assert_eq!(block_on(take_two_then_rest()), (vec![1, 2], vec![3, 4, 5]));
}

#[for_await]
async fn pinned_by_hand_then_looped(n: u32) -> u32 {
    let s = not_unpin(n);
    let mut s = std::pin::pin!(s);
    let mut total = 0;
    #[for_await]
    for x in s.as_mut() {
        total += x;
        if x == 1 {
            break;
        }
    }
    // The same pinned stream goes on where the loop stopped.
    #[for_await]
    for x in s {
        total += 10 * x;
    }
    total
}

#[test]
fn a_pinned_stream_that_is_not_unpin_can_be_resumed() {
    // 0 + 1, then 10 * (2 + 3)
    assert_eq!(block_on(pinned_by_hand_then_looped(4)), 51);
}

#[for_await]
async fn destructures(pairs: impl Stream<Item = (u32, &'static str)>) -> String {
    let mut out = String::new();
    #[for_await]
    for (n, mut word) in pairs {
        if n == 0 {
            word = "zero";
        }
        write!(out, "{n}:{word} ").unwrap();
    }
    out
}

#[test]
fn binds_irrefutable_patterns_like_a_for_loop() {
    let pairs = stream::iter([(0, "a"), (1, "b")]);
    assert_eq!(block_on(destructures(pairs)), "0:zero 1:b ");
}

// The point is a sync fn that returns an async block, not an `async fn`.
#[allow(clippy::manual_async_fn)]
#[for_await]
fn sync_fn_building_an_async_block(s: impl Stream<Item = u32>) -> impl Future<Output = u32> {
    async move {
        let mut sum = 0;
        #[for_await]
        for x in s {
            sum += x;
        }
        sum
    }
}

#[test]
fn rewrites_loops_inside_async_blocks_of_a_sync_fn() {
    assert_eq!(block_on(sync_fn_building_an_async_block(not_unpin(4))), 6);
}

struct Totals {
    base: u32,
}

impl Totals {
    #[for_await]
    async fn add_all(&self, s: impl Stream<Item = u32>) -> u32 {
        let mut sum = self.base;
        #[for_await]
        for x in s {
            sum += x;
        }
        sum
    }
}

#[test]
fn works_on_methods() {
    let totals = Totals { base: 100 };
    assert_eq!(block_on(totals.add_all(stream::iter([1, 2]))), 103);
}

#[for_await]
async fn loop_as_trailing_expression(s: impl Stream<Item = u32>, seen: &Cell<u32>) {
    #[for_await]
    for x in s {
        seen.set(seen.get() + x);
    }
}

#[test]
fn a_loop_in_tail_position_has_type_unit() {
    let seen = Cell::new(0);
    block_on(loop_as_trailing_expression(stream::iter([4, 5]), &seen));
    assert_eq!(seen.get(), 9);
}

#[test]
fn polls_the_stream_exactly_once_per_item_plus_the_end() {
    let polls = Cell::new(0);
    let counted = stream::poll_fn(|_| {
        polls.set(polls.get() + 1);
        std::task::Poll::Ready((polls.get() <= 3).then_some(polls.get()))
    });
    assert_eq!(block_on(collect_all(counted)), [1, 2, 3]);
    assert_eq!(polls.get(), 4);
}

mod renamed {
    extern crate async_ext as renamed_async_ext;

    use futures::executor::block_on;
    use futures::stream;

    #[renamed_async_ext::for_await(crate = renamed_async_ext)]
    async fn sum() -> u32 {
        let mut sum = 0;
        #[for_await]
        for x in stream::iter([1, 2, 3]) {
            sum += x;
        }
        sum
    }

    #[test]
    fn crate_option_names_a_renamed_dependency() {
        assert_eq!(block_on(sum()), 6);
    }
}

/// Generated code names only absolute paths and hidden names: user items called `core`,
/// `Option`, `Some`, `Pin` or `next`, and a user local named like a hidden one, change nothing.
/// (Items named `__async_ext_*` are reserved: a `let` cannot shadow a unit struct, whatever the
/// hygiene of the binding, so such an item would break expansions.)
mod hygiene {
    #![allow(dead_code, non_camel_case_types)]

    use async_ext::for_await;
    use futures::executor::block_on;
    use futures::stream;

    mod core {}
    struct Option;
    struct Some;
    struct Pin;
    fn next() {}

    #[for_await]
    async fn sum(s: impl futures::Stream<Item = u32>) -> u32 {
        let __async_ext_item = 100;
        let mut sum = 0;
        #[for_await]
        for x in s {
            sum += x;
        }
        sum + __async_ext_item
    }

    #[test]
    fn user_names_do_not_capture_generated_code() {
        assert_eq!(block_on(sum(stream::iter([1, 2]))), 103);
    }

    mod no_prelude {
        #![no_implicit_prelude]

        #[::async_ext::for_await]
        pub(super) async fn count<S: ::futures::Stream<Item = u8>>(s: S) -> usize {
            let mut n = 0;
            #[for_await]
            for _ in s {
                n += 1;
            }
            n
        }
    }

    #[test]
    fn works_without_the_prelude() {
        assert_eq!(block_on(no_prelude::count(stream::iter([1, 2, 3]))), 3);
    }
}

/// `#[for_await]` loops inside every attribute that owns a body, and `for await` in
/// `stream!`, all go through the one rewriter.
#[cfg(all(feature = "traits", feature = "streams"))]
mod inside_other_macros {
    use async_ext::{async_stream, async_trait_ext, stream};
    use futures::executor::block_on;
    use futures::stream::{self as futures_stream, Stream, StreamExt};

    #[async_trait_ext]
    trait Summer {
        async fn sum(&self, s: futures_stream::Iter<std::vec::IntoIter<u32>>) -> u32;

        async fn doubled_sum(&self, s: futures_stream::Iter<std::vec::IntoIter<u32>>) -> u32 {
            let mut total = 0;
            #[for_await]
            for x in s {
                total += 2 * x;
            }
            total
        }
    }

    struct Boxed;

    #[async_trait_ext]
    impl Summer for Boxed {
        async fn sum(&self, s: futures_stream::Iter<std::vec::IntoIter<u32>>) -> u32 {
            let mut total = 0;
            #[for_await]
            for x in s {
                total += x;
            }
            total
        }
    }

    #[async_trait_ext(native)]
    trait NativeSummer {
        async fn sum(&self, s: futures_stream::Iter<std::vec::IntoIter<u32>>) -> u32 {
            let mut total = 0;
            #[for_await]
            for x in s {
                total += x;
            }
            total
        }
    }

    struct Native;

    impl NativeSummer for Native {}

    #[test]
    fn loops_in_boxed_trait_methods_and_default_bodies() {
        // A default `&self` body of a Send trait needs `Self: Sync`: `dyn Summer + Sync`.
        let summer: &(dyn Summer + Sync) = &Boxed;
        assert_eq!(block_on(summer.sum(futures_stream::iter(vec![1, 2, 3]))), 6);
        assert_eq!(
            block_on(summer.doubled_sum(futures_stream::iter(vec![1, 2]))),
            6
        );
    }

    #[test]
    fn loops_in_native_trait_default_bodies_and_through_the_companion() {
        assert_eq!(block_on(Native.sum(futures_stream::iter(vec![4, 5]))), 9);
        let companion = DynNativeSummer::from_ref(&Native);
        assert_eq!(block_on(companion.sum(futures_stream::iter(vec![1, 1]))), 2);
    }

    #[async_stream(item = String)]
    async fn labelled(s: impl Stream<Item = u32>) {
        #[for_await]
        for x in s {
            yield_!(format!("#{x}"));
        }
    }

    #[test]
    fn loops_in_async_stream_fns() {
        let items: Vec<String> = block_on(labelled(futures_stream::iter([1, 2])).collect());
        assert_eq!(items, ["#1", "#2"]);
    }

    #[test]
    fn for_await_in_stream_macro_with_break_and_continue() {
        let evens = stream! {
            'outer: for await x in futures_stream::iter(0..10u32) {
                if x % 2 == 1 {
                    continue 'outer;
                }
                if x > 6 {
                    break;
                }
                yield x;
            }
        };
        let items: Vec<u32> = block_on(evens.collect());
        assert_eq!(items, [0, 2, 4, 6]);
    }
}

/// Every macro of the crate rewrites the `#[for_await]` loops of the code it is given, the
/// function-like ones included: no attribute on the enclosing fn is needed for them, and an
/// attributed fn's async blocks and closures are rewritten with the rest of its body.
#[cfg(all(feature = "closures", feature = "streams", feature = "async-drop"))]
mod everywhere {
    use std::sync::Mutex;

    use async_ext::{
        AsyncFn, AsyncFnMut, async_closure, async_scope, defer_async, for_await, stream,
    };
    use futures::executor::block_on;
    use futures::stream::{self as futures_stream, Stream, StreamExt};

    fn numbers(n: u32) -> impl Stream<Item = u32> {
        super::not_unpin(n)
    }

    /// No attribute on this fn: the closure macro rewrites its own body.
    fn summing_closure() -> impl AsyncFnMut<(u32,), Output = u32> {
        async_closure!({ let mut calls = 0u32; } async |n: u32| -> u32 {
            calls += 1;
            let mut sum = 0;
            #[for_await]
            for x in numbers(n) {
                sum += x;
            }
            sum * 10 + calls
        })
    }

    #[test]
    fn in_an_async_closure_without_an_attribute_on_the_fn() {
        let mut sum = summing_closure();
        assert_eq!(block_on(sum.call_mut((4,))), 61); // (0+1+2+3) * 10 + 1
        assert_eq!(block_on(sum.call_mut((3,))), 32); // (0+1+2) * 10 + 2
    }

    #[for_await]
    async fn closure_in_an_attributed_fn(limit: u32) -> Vec<u32> {
        let seen = Mutex::new(Vec::new());
        let record = async_closure!({ let seen = &seen; } async |n: u32| {
            'outer: for round in 0..2u32 {
                #[for_await]
                for x in numbers(n) {
                    if x == 2 {
                        continue 'outer;
                    }
                    seen.lock().unwrap().push(round * 100 + x);
                }
            }
        });
        record.call((limit,)).await;
        seen.into_inner().unwrap()
    }

    #[test]
    fn in_an_async_closure_inside_an_attributed_fn() {
        assert_eq!(block_on(closure_in_an_attributed_fn(5)), [0, 1, 100, 101]);
    }

    #[test]
    fn marker_syntax_inside_stream_macro() {
        let doubled = stream! {
            #[for_await]
            for x in numbers(3) {
                yield x * 2;
            }
        };
        assert_eq!(block_on(doubled.collect::<Vec<u32>>()), [0, 2, 4]);
    }

    #[for_await]
    async fn in_blocks_and_closures(n: u32) -> (u32, u32, u32) {
        let block = async {
            let mut count = 0;
            #[for_await]
            for _ in numbers(n) {
                count += 1;
            }
            count
        };
        let closure = |scale: u32| async move {
            let mut total = 0;
            #[for_await]
            for x in numbers(n) {
                total += x * scale;
            }
            total
        };
        // In another macro's input too.
        let (joined, ()) = futures::join!(
            async {
                let mut last = 0;
                #[for_await]
                for x in numbers(n) {
                    last = x;
                }
                last
            },
            async {}
        );
        (block.await, closure(100).await, joined)
    }

    #[test]
    fn in_async_blocks_closures_and_macro_input_of_an_attributed_fn() {
        assert_eq!(block_on(in_blocks_and_closures(4)), (4, 600, 3));
    }

    #[async_scope]
    async fn deferred_loop(log: &Mutex<Vec<u32>>) {
        defer_async!(async {
            #[for_await]
            for x in futures_stream::iter([7u32, 8]) {
                log.lock().unwrap().push(x);
            }
        });
        log.lock().unwrap().push(1);
    }

    #[test]
    fn in_a_defer_async_future() {
        let log = Mutex::new(Vec::new());
        block_on(deferred_loop(&log));
        assert_eq!(*log.lock().unwrap(), [1, 7, 8]);
    }
}

/// One-line loop bodies expand without a warning: the body's statements are spliced into the
/// rewritten loop, not nested as its tail block (rustc's `unused_braces` would fire).
#[cfg(all(feature = "closures", feature = "streams"))]
#[deny(warnings, clippy::all, clippy::pedantic)]
mod one_line_bodies {
    use async_ext::{AsyncFn, async_closure, for_await, stream};
    use futures::executor::block_on;
    use futures::stream::{self as futures_stream, Stream, StreamExt};

    #[for_await]
    async fn total(s: impl Stream<Item = u32>) -> u32 {
        let mut sum = 0;
        #[for_await]
        for x in s {
            sum += x
        }
        sum
    }

    fn doubled(s: impl Stream<Item = u32>) -> impl Stream<Item = u32> {
        stream! { for await x in s { yield x * 2 } }
    }

    #[test]
    fn loops_with_one_line_bodies() {
        assert_eq!(block_on(total(futures_stream::iter([1, 2, 3]))), 6);
        let items: Vec<u32> = block_on(doubled(futures_stream::iter([1, 2])).collect());
        assert_eq!(items, [2, 4]);
        let count = async_closure!(async |v: Vec<u8>| -> usize {
            let mut n = 0;
            #[for_await]
            for _ in futures_stream::iter(v) {
                n += 1
            }
            n
        });
        assert_eq!(block_on(count.call((vec![5, 6, 7],))), 3);
    }
}
