//! Drop-in for dynosaur: `#[dynosaur(DynX = dyn(box) X)]` becomes
//! `#[async_trait_ext(native, ?Send, dyn = DynX)]` (dynosaur's traits promise no `Send`), and
//! `DynX::new_box(v)` becomes `DynX::boxed(v)`. Each module is one shape of dynosaur's own
//! pass cases, called statically and through the companion, asserting the values.

use async_ext::async_trait_ext;
use async_ext_tests::yield_now;
use futures::executor::block_on;

/// An async method over an associated type, the shape of dynosaur's README.
mod next_with_associated_type {
    use super::*;

    #[async_trait_ext(native, ?Send, dyn = DynNext)]
    trait Next {
        type Item;
        async fn next(&mut self) -> Option<Self::Item>;
    }

    struct Countdown(u32);

    impl Next for Countdown {
        type Item = u32;
        async fn next(&mut self) -> Option<u32> {
            yield_now().await;
            let at = self.0.checked_sub(1)?;
            self.0 = at;
            Some(at)
        }
    }

    async fn drain_dyn(source: &mut DynNext<'_, u32>) -> Vec<u32> {
        let mut items = Vec::new();
        while let Some(item) = source.next().await {
            items.push(item);
        }
        items
    }

    async fn drain<N: Next<Item = u32>>(mut source: N) -> Vec<u32> {
        let mut items = Vec::new();
        while let Some(item) = source.next().await {
            items.push(item);
        }
        items
    }

    #[test]
    fn static_and_dynamic_dispatch_agree() {
        assert_eq!(block_on(drain(Countdown(3))), [2, 1, 0]);
        assert_eq!(
            block_on(drain_dyn(DynNext::from_mut(&mut Countdown(2)))),
            [1, 0]
        );
    }
}

/// Sync and async methods side by side, over associated types and a generic parameter of the
/// trait (dynosaur's `async-and-non-async`, `basic-with-self`): the companion's parameters are
/// the lifetime, the trait's generics, then the associated types.
mod mixed_sync_and_async_methods {
    use super::*;

    #[async_trait_ext(native, ?Send, dyn = DynQueue)]
    trait Queue<Tag> {
        type Job;
        fn len(&self) -> usize;
        async fn pop(&mut self, tag: Tag) -> Option<(Tag, Self::Job)>;
    }

    struct Jobs(Vec<u32>);

    impl Queue<char> for Jobs {
        type Job = u32;
        fn len(&self) -> usize {
            self.0.len()
        }
        async fn pop(&mut self, tag: char) -> Option<(char, u32)> {
            yield_now().await;
            self.0.pop().map(|job| (tag, job))
        }
    }

    #[test]
    fn through_the_companion() {
        let mut jobs = Jobs(vec![1, 2]);
        let erased: &mut DynQueue<'_, char, u32> = DynQueue::from_mut(&mut jobs);
        assert_eq!(erased.len(), 2);
        assert_eq!(block_on(erased.pop('a')), Some(('a', 2)));
        assert_eq!(block_on(erased.pop('b')), Some(('b', 1)));
        assert_eq!(block_on(erased.pop('c')), None);
        assert_eq!(erased.len(), 0);
    }
}

/// `&mut DynX::boxed(v)` is accepted where `&mut DynX` is expected, with no `&mut *`.
mod boxed_companion_where_a_mut_reference_is_expected {
    use super::*;

    #[async_trait_ext(native, ?Send, dyn = DynTally)]
    trait Tally {
        async fn add(&mut self, n: u32) -> u32;
    }

    struct Sum(u32);

    impl Tally for Sum {
        async fn add(&mut self, n: u32) -> u32 {
            self.0 += n;
            self.0
        }
    }

    async fn add_twice(tally: &mut DynTally<'_>) -> u32 {
        tally.add(1).await;
        tally.add(2).await
    }

    #[test]
    fn the_box_derefs_to_the_companion() {
        assert_eq!(block_on(add_twice(&mut DynTally::boxed(Sum(10)))), 13);
    }
}

/// A method whose arguments carry `#[cfg]`: the companion forwards exactly the arguments
/// that are configured in, as a hand-written forwarding impl would.
mod cfg_argument_through_companion {
    #![allow(clippy::non_minimal_cfg)] // `any()`/`all()`: always off/on
    use super::*;

    #[async_trait_ext(native, dyn = DynScale)]
    trait Scale {
        async fn apply(&self, #[cfg(all())] factor: u32, #[cfg(any())] ignored: String) -> u32;
    }

    struct Base(u32);

    impl Scale for Base {
        async fn apply(&self, #[cfg(all())] factor: u32, #[cfg(any())] ignored: String) -> u32 {
            yield_now().await;
            self.0 * factor
        }
    }

    #[test]
    fn only_the_configured_argument_is_passed() {
        assert_eq!(block_on(Base(7).apply(3)), 21);
        let erased = DynScale::boxed(Base(5));
        assert_eq!(block_on(erased.apply(4)), 20);
    }
}

/// `Box<DynX>` and `&mut DynX` are implementors themselves in `?Send` mode, so they can be
/// passed to generic code.
mod companion_pointers_implement_the_trait {
    use super::*;

    #[async_trait_ext(native, ?Send, dyn = DynTally)]
    trait Tally {
        async fn add(&mut self, n: u32) -> u32;
    }

    struct Sum(u32);

    impl Tally for Sum {
        async fn add(&mut self, n: u32) -> u32 {
            self.0 += n;
            self.0
        }
    }

    async fn add_three(mut tally: impl Tally) -> u32 {
        tally.add(1).await;
        tally.add(2).await
    }

    #[test]
    fn box_and_mut_reference() {
        assert_eq!(block_on(add_three(DynTally::boxed(Sum(0)))), 3);
        let mut sum = Sum(100);
        assert_eq!(block_on(add_three(DynTally::from_mut(&mut sum))), 103);
        assert_eq!(sum.0, 103);
    }
}

/// A `pub(crate)` companion of a private trait, reachable from outside the trait's module.
mod crate_visible_companion {
    use super::*;

    mod jobs {
        use super::*;

        #[async_trait_ext(native, ?Send, dyn = pub(crate) DynJob)]
        trait Job {
            async fn run(&self) -> u32;
        }

        pub(crate) struct Fixed(pub(crate) u32);

        impl Job for Fixed {
            async fn run(&self) -> u32 {
                self.0
            }
        }

        pub(crate) async fn run_erased(job: &DynJob<'_>) -> u32 {
            job.run().await
        }
    }

    #[test]
    fn made_and_used_outside_the_module() {
        let fixed = jobs::Fixed(5);
        let job: &jobs::DynJob<'_> = jobs::DynJob::from_ref(&fixed);
        assert_eq!(block_on(jobs::run_erased(job)), 5);
    }
}

/// A generic trait whose method is declared `-> impl Future<Output = ..>` rather than
/// `async fn` (dynosaur's `generics-in-trait-def`, `impl-future-bounds`).
mod explicit_impl_future_return {
    use super::*;
    use std::future::Future;

    #[async_trait_ext(native, ?Send, dyn = DynService)]
    trait Service<Request> {
        type Response;
        type Error;
        fn name(&self) -> &'static str;
        fn call(&self, req: Request) -> impl Future<Output = Result<Self::Response, Self::Error>>;
    }

    struct Doubler;

    impl Service<u32> for Doubler {
        type Response = u32;
        type Error = String;
        fn name(&self) -> &'static str {
            "doubler"
        }
        async fn call(&self, req: u32) -> Result<u32, String> {
            req.checked_mul(2).ok_or_else(|| format!("{req} overflows"))
        }
    }

    #[test]
    fn through_the_companion() {
        let erased: Box<DynService<'_, u32, u32, String>> = DynService::boxed(Doubler);
        assert_eq!(erased.name(), "doubler");
        assert_eq!(block_on(erased.call(21)), Ok(42));
        assert_eq!(
            block_on(erased.call(u32::MAX)),
            Err(format!("{} overflows", u32::MAX))
        );
    }
}

/// `impl Trait` arguments: the companion boxes them, as dynosaur does, so `Box<dyn Trait>`
/// must implement the trait (futures always do).
mod impl_trait_arguments {
    use super::*;
    use std::future::Future;

    trait Shape {
        fn area(&self) -> u32;
    }

    impl Shape for Box<dyn Shape + '_> {
        fn area(&self) -> u32 {
            (**self).area()
        }
    }

    struct Square(u32);

    impl Shape for Square {
        fn area(&self) -> u32 {
            self.0 * self.0
        }
    }

    #[async_trait_ext(native, ?Send, dyn = DynMeasure)]
    trait Measure {
        fn total(&self, shape: impl Shape) -> u32;
        async fn later(&self, shape: impl Shape) -> u32;
        async fn after(&self, ready: impl Future<Output = u32>) -> u32;
    }

    struct Offset(u32);

    impl Measure for Offset {
        fn total(&self, shape: impl Shape) -> u32 {
            self.0 + shape.area()
        }
        async fn later(&self, shape: impl Shape) -> u32 {
            yield_now().await;
            self.0 + shape.area()
        }
        async fn after(&self, ready: impl Future<Output = u32>) -> u32 {
            self.0 + ready.await
        }
    }

    #[test]
    fn erased_arguments_reach_the_impl() {
        let erased = DynMeasure::boxed(Offset(1));
        assert_eq!(erased.total(Square(3)), 10);
        assert_eq!(block_on(erased.later(Square(2))), 5);
        assert_eq!(block_on(erased.after(async { 41 })), 42);
    }
}

/// Methods returning `impl Trait` other than futures are erased as a boxed `dyn Trait`,
/// including a default body (dynosaur's `non-future-impl-traits`, `default_trait`).
mod impl_trait_returns {
    use super::*;
    use std::fmt::Display;

    #[async_trait_ext(native, ?Send, dyn = DynBytes)]
    trait Bytes {
        fn iter(&mut self) -> impl Iterator<Item = u8> + '_;
        fn label(&self) -> impl Display {
            "bytes"
        }
    }

    struct Four([u8; 4]);

    impl Bytes for Four {
        fn iter(&mut self) -> impl Iterator<Item = u8> + '_ {
            self.0.iter().copied()
        }
    }

    #[test]
    fn through_the_companion() {
        let mut erased = DynBytes::boxed(Four([3, 2, 4, 1]));
        assert_eq!(erased.iter().collect::<Vec<_>>(), [3, 2, 4, 1]);
        assert_eq!(erased.label().to_string(), "bytes");
        let mut four = Four([1, 1, 1, 1]);
        assert_eq!(
            DynBytes::from_mut(&mut four)
                .iter()
                .map(u32::from)
                .sum::<u32>(),
            4
        );
    }
}

/// A method declaring its own lifetime `'a` (and others, with bounds): the companion's own
/// lifetime must not clash with it (dynosaur's `multiple-lifetimes`).
mod method_named_lifetimes {
    use super::*;

    #[async_trait_ext(native, ?Send, dyn = DynPick)]
    trait Pick {
        async fn longer<'a>(&self, first: &'a str, second: &'a str) -> &'a str;
        async fn first_of<'a, 'b: 'a>(&self, a: &'a u8, b: &'b u8, c: &u8) -> u8;
    }

    struct Picker;

    impl Pick for Picker {
        async fn longer<'a>(&self, first: &'a str, second: &'a str) -> &'a str {
            if second.len() > first.len() {
                second
            } else {
                first
            }
        }
        async fn first_of<'a, 'b: 'a>(&self, a: &'a u8, b: &'b u8, c: &u8) -> u8 {
            *a * 100 + *b * 10 + *c
        }
    }

    #[test]
    fn through_the_companion() {
        let erased = DynPick::boxed(Picker);
        let (one, two) = (String::from("ab"), String::from("abc"));
        assert_eq!(block_on(erased.longer(&one, &two)), "abc");
        assert_eq!(block_on(erased.first_of(&1, &2, &3)), 123);
    }
}

/// An `unsafe trait` in native mode: implementors write `unsafe impl`, and the companion
/// implements it too (its impl forwards to an implementor that already promised the contract).
mod unsafe_trait_companion {
    use super::*;

    /// # Safety
    /// `len` never exceeds the number of bytes `fill` writes.
    #[async_trait_ext(native, dyn = DynSource)]
    unsafe trait Source {
        async fn fill(&self, buf: &mut Vec<u8>);
        fn len(&self) -> usize;
    }

    struct Ones(usize);

    // SAFETY: `fill` writes exactly `len()` bytes.
    unsafe impl Source for Ones {
        async fn fill(&self, buf: &mut Vec<u8>) {
            yield_now().await;
            buf.extend(std::iter::repeat_n(1, self.0));
        }
        fn len(&self) -> usize {
            self.0
        }
    }

    async fn read_all<S: Source + ?Sized>(source: &S) -> Vec<u8> {
        let mut buf = Vec::new();
        source.fill(&mut buf).await;
        assert_eq!(buf.len(), source.len());
        buf
    }

    #[test]
    fn the_companion_is_an_implementor() {
        assert_eq!(block_on(read_all(&Ones(2))), [1, 1]);
        let erased = DynSource::boxed(Ones(3));
        assert_eq!(block_on(read_all(&*erased)), [1, 1, 1]);
    }
}
