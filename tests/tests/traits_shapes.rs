//! Argument and generic shapes that async-trait accepts and a switch to async-ext must keep
//! accepting, with the same bounds: patterns with `ref`/`ref mut` bindings, arguments bound to
//! `_` behind a reference (not captured, so no `T: Sync`), `&mut self` reborrowed in the body,
//! `#[cfg]` on a method's generic parameter; and every pattern in a generator's arguments.

use std::cell::Cell;
use std::future::Future;

use async_ext::{Stream, async_stream, async_trait_ext};
use futures::StreamExt;
use futures::executor::block_on;

fn assert_send<F: Future + Send>(future: F) -> F {
    future
}

mod patterns {
    use super::{assert_send, async_trait_ext, block_on};

    #[async_trait_ext]
    pub(crate) trait Patterns {
        /// `ref mut` and `ref` bindings in a destructured argument.
        async fn mix(&self, (a, ref mut b, ref c, d): (u8, u8, u8, u8)) -> u8;
        /// The same in a default body.
        async fn mix_default(&self, (a, ref mut b, ref c, d): (u8, u8, u8, u8)) -> u8 {
            *b *= 10;
            a + *b + *c + d
        }
        /// `ref` and `ref mut` on a whole argument.
        async fn whole(&self, ref x: u8, ref mut buf: Vec<u8>) -> Vec<u8>;
    }

    pub(crate) struct Impl;

    #[async_trait_ext]
    impl Patterns for Impl {
        async fn mix(&self, (a, ref mut b, ref c, d): (u8, u8, u8, u8)) -> u8 {
            *b += 1;
            a + *b + *c + d
        }
        async fn whole(&self, ref x: u8, ref mut buf: Vec<u8>) -> Vec<u8> {
            buf.push(*x);
            buf.clone()
        }
    }

    #[async_trait_ext(native)]
    pub(crate) trait NativePatterns {
        /// A native default body with the same patterns.
        async fn mix(&self, (a, ref mut b, ref c, d): (u8, u8, u8, u8)) -> u8 {
            *b += 2;
            a + *b + *c + d
        }
    }

    impl NativePatterns for Impl {}

    #[test]
    fn ref_and_ref_mut_bindings_in_patterns() {
        block_on(async {
            assert_eq!(
                assert_send(Patterns::mix(&Impl, (1, 2, 3, 4))).await,
                1 + 3 + 3 + 4
            );
            assert_eq!(Impl.mix_default((1, 2, 3, 4)).await, 1 + 20 + 3 + 4);
            assert_eq!(Impl.whole(7, vec![1]).await, [1, 7]);
            assert_eq!(
                NativePatterns::mix(&Impl, (1, 2, 3, 4)).await,
                1 + 4 + 3 + 4
            );
            let object: &dyn Patterns = &Impl;
            assert_eq!(object.mix((0, 0, 0, 0)).await, 1);
        });
    }
}

/// What is bound to `_` behind a reference is not captured: a `Send` future needs no
/// `T: Sync` for it, as with async-trait. `Cell<u8>` is `Send` and not `Sync`.
mod unused_references {
    use super::{Cell, assert_send, async_trait_ext, block_on};

    #[async_trait_ext]
    pub(crate) trait Borrowing<T> {
        async fn ignore(&self, _: &T) -> u8;
        async fn ignore_parts(&self, (_a, _b, _c): &(T, T, T)) -> u8;
        async fn ignore_default(&self, _: &T) -> u8 {
            3
        }
    }

    pub(crate) struct Impl;

    #[async_trait_ext]
    impl<T: Send> Borrowing<T> for Impl {
        async fn ignore(&self, _: &T) -> u8 {
            1
        }
        async fn ignore_parts(&self, (_a, _b, _c): &(T, T, T)) -> u8 {
            2
        }
    }

    #[test]
    fn arguments_bound_to_underscore_need_no_sync() {
        block_on(async {
            let cell = Cell::new(0u8);
            let cells = (Cell::new(1), Cell::new(2), Cell::new(3));
            assert_eq!(assert_send(Impl.ignore(&cell)).await, 1);
            assert_eq!(assert_send(Impl.ignore_parts(&cells)).await, 2);
            assert_eq!(
                assert_send(Borrowing::<Cell<u8>>::ignore_default(&Impl, &cell)).await,
                3
            );
        });
    }
}

/// `let _ = &mut self;` in a `&mut self` method, as async-trait accepts since 0.1.91.
mod reborrowed_self {
    use super::{async_trait_ext, block_on};

    #[async_trait_ext]
    pub(crate) trait Counter {
        async fn bump(&mut self) -> u32;
        async fn bump_twice(&mut self) -> u32 {
            let this = &mut self;
            this.bump().await;
            self.bump().await
        }
    }

    pub(crate) struct Count(u32);

    #[async_trait_ext]
    impl Counter for Count {
        async fn bump(&mut self) -> u32 {
            let _ = &mut self;
            self.0 += 1;
            self.0
        }
    }

    #[test]
    fn mut_self_can_be_reborrowed() {
        block_on(async {
            let mut count = Count(0);
            assert_eq!(count.bump().await, 1);
            assert_eq!(count.bump_twice().await, 3);
        });
    }
}

/// `#[cfg]` on a method's generic parameters, on and off.
mod cfg_generics {
    use super::{async_trait_ext, block_on};

    #[async_trait_ext]
    pub(crate) trait Configured {
        async fn off<#[cfg(not(test))] T: Send>(#[cfg(not(test))] value: T) -> u8;
        async fn on<#[cfg(test)] T: Send>(#[cfg(test)] value: T) -> T;
        async fn lifetime<#[cfg(test)] 'a>(&self, text: &'a str) -> &'a str;
    }

    pub(crate) struct Impl;

    #[async_trait_ext]
    impl Configured for Impl {
        async fn off<#[cfg(not(test))] T: Send>(#[cfg(not(test))] value: T) -> u8 {
            0
        }
        async fn on<#[cfg(test)] T: Send>(#[cfg(test)] value: T) -> T {
            value
        }
        async fn lifetime<#[cfg(test)] 'a>(&self, text: &'a str) -> &'a str {
            text
        }
    }

    #[test]
    fn cfg_on_generic_parameters() {
        block_on(async {
            assert_eq!(Impl::off().await, 0);
            assert_eq!(Impl::on(5u8).await, 5);
            assert_eq!(Impl.lifetime("x").await, "x");
        });
    }
}

/// A generator's arguments take every pattern a plain `async fn`'s take.
mod generator_patterns {
    use super::{Stream, StreamExt, async_stream, block_on};

    #[async_stream(item = u8)]
    async fn by_ref(ref x: u8, ref mut buf: Vec<u8>) {
        buf.push(*x);
        for byte in buf.iter() {
            yield_!(*byte);
        }
    }

    #[async_stream(item = u8)]
    async fn destructured((a, ref mut b): (u8, u8), mut c: u8, _: u8, _unused: u8) {
        *b += 1;
        c += 1;
        yield_!(a);
        yield_!(*b);
        yield_!(c);
    }

    fn items(stream: impl Stream<Item = u8>) -> Vec<u8> {
        block_on(stream.collect())
    }

    /// `-> ()` spelled out, as an `async fn` may.
    #[async_stream(item = u8)]
    async fn explicit_unit(n: u8) -> () {
        yield_!(n);
    }

    #[test]
    fn an_explicit_unit_return() {
        assert_eq!(items(explicit_unit(4)), [4]);
    }

    #[test]
    fn every_pattern_in_generator_arguments() {
        assert_eq!(items(by_ref(3, vec![1, 2])), [1, 2, 3]);
        assert_eq!(items(destructured((1, 2), 5, 0, 0)), [1, 3, 6]);
    }
}

/// An `unsafe trait` in native mode: its companion implements it with `unsafe impl`, as a
/// hand-written forwarding impl would, and forwards to the implementor's own `unsafe impl`.
mod unsafe_trait_companion {
    use super::{async_trait_ext, block_on};

    /// # Safety
    ///
    /// `id` returns the same value on every call.
    #[async_trait_ext(native)]
    pub(crate) unsafe trait Stable {
        async fn id(&self) -> u32;
    }

    pub(crate) struct Fixed(u32);

    // SAFETY: `id` returns the stored value, which never changes.
    unsafe impl Stable for Fixed {
        async fn id(&self) -> u32 {
            self.0
        }
    }

    fn takes_any<S: Stable + ?Sized>(stable: &S) -> impl std::future::Future<Output = u32> {
        stable.id()
    }

    #[test]
    fn the_companion_implements_the_unsafe_trait() {
        block_on(async {
            let fixed = Fixed(4);
            let object = DynStable::from_ref(&fixed);
            assert_eq!(object.id().await, 4);
            assert_eq!(takes_any(object).await, 4);
            let boxed = DynStable::boxed(Fixed(5));
            assert_eq!(takes_any(&*boxed).await, 5);
        });
    }
}

/// `-> impl Trait` methods of a `Send` native trait promise `Send` too, so generic code can
/// send what they return; `#[async_trait_ext(?Send)]` on the method, or `?Send` on the trait,
/// leaves the bound off.
mod send_impl_trait_returns {
    use std::rc::Rc;

    use super::async_trait_ext;

    #[async_trait_ext(native, dyn = none)]
    pub(crate) trait Numbers {
        fn numbers(&self) -> impl Iterator<Item = u32>;
        #[async_trait_ext(?Send)]
        fn shared(&self) -> impl Iterator<Item = Rc<u32>>;
    }

    #[async_trait_ext(native, ?Send, dyn = none)]
    pub(crate) trait LocalNumbers {
        fn numbers(&self) -> impl Iterator<Item = Rc<u32>>;
    }

    pub(crate) struct Upto(u32);

    impl Numbers for Upto {
        fn numbers(&self) -> impl Iterator<Item = u32> {
            0..self.0
        }
        fn shared(&self) -> impl Iterator<Item = Rc<u32>> {
            (0..self.0).map(Rc::new)
        }
    }

    impl LocalNumbers for Upto {
        fn numbers(&self) -> impl Iterator<Item = Rc<u32>> {
            (0..self.0).map(Rc::new)
        }
    }

    /// Needs `Send` from the trait's bound alone.
    fn sum_on_another_thread<N: Numbers>(numbers: &N) -> u32 {
        let iter = numbers.numbers();
        std::thread::scope(|scope| scope.spawn(move || iter.sum()).join()).unwrap_or_default()
    }

    #[test]
    fn impl_trait_returns_are_send_in_a_send_trait() {
        assert_eq!(sum_on_another_thread(&Upto(4)), 6);
        assert_eq!(Numbers::shared(&Upto(3)).map(|n| *n).sum::<u32>(), 3);
        assert_eq!(LocalNumbers::numbers(&Upto(3)).count(), 3);
    }
}

/// `local = LocalName`: a variant without `Send` on its futures, implemented for every
/// implementor, so code that never spawns can bound on it and accept both.
mod local_variant {
    use std::collections::HashMap;
    use std::sync::Arc;

    use super::{assert_send, async_trait_ext, block_on};

    /// A key-value store.
    #[async_trait_ext(native, local = LocalStore, dyn = none)]
    pub(crate) trait Store {
        type Key: Sync;
        const NAME: &'static str;
        async fn get(&self, key: &Self::Key) -> Option<u32>;
        async fn put(&mut self, key: Self::Key, value: u32);
        async fn get_or(&self, key: &Self::Key, (fallback, _): (u32, u8)) -> u32 {
            self.get(key).await.unwrap_or(fallback)
        }
        fn len(&self) -> usize;
        fn keys(&self) -> impl Iterator<Item = &Self::Key>;
        async fn into_len(self: Arc<Self>) -> usize
        where
            Self: Sized;
    }

    #[derive(Default)]
    pub(crate) struct Memory(HashMap<String, u32>);

    impl Store for Memory {
        type Key = String;
        const NAME: &'static str = "memory";
        async fn get(&self, key: &String) -> Option<u32> {
            self.0.get(key).copied()
        }
        async fn put(&mut self, key: String, value: u32) {
            let _ = self.0.insert(key, value);
        }
        fn len(&self) -> usize {
            self.0.len()
        }
        fn keys(&self) -> impl Iterator<Item = &String> {
            self.0.keys()
        }
        async fn into_len(self: Arc<Self>) -> usize {
            self.0.len()
        }
    }

    /// Generic code on the local trait: its futures need not be `Send`. (`get_or` has a default
    /// body, which in a `Send` trait asks `Self: Sync` of its callers in both variants.)
    async fn fill<S: LocalStore<Key = String> + Sync>(
        store: &mut S,
    ) -> (usize, u32, u32, &'static str) {
        let rc = std::rc::Rc::new(2);
        store.put(String::from("a"), *rc).await;
        let a = store.get_or(&String::from("a"), (0, 0)).await;
        let b = store.get_or(&String::from("b"), (9, 0)).await;
        (store.len(), a, b, S::NAME)
    }

    #[test]
    fn every_implementor_of_the_trait_implements_the_local_variant() {
        block_on(async {
            let mut memory = Memory::default();
            assert_eq!(fill(&mut memory).await, (1, 2, 9, "memory"));
            assert_eq!(LocalStore::keys(&memory).count(), 1);
            assert_eq!(
                assert_send(Store::get(&memory, &String::from("a"))).await,
                Some(2)
            );
            assert_eq!(LocalStore::into_len(Arc::new(memory)).await, 1);
        });
    }
}

/// A method of a native trait declaring its own `'a`: the companion picks another name for
/// its lifetime rather than shadowing it.
mod companion_method_lifetime {
    use super::{async_trait_ext, block_on};

    #[async_trait_ext(native)]
    pub(crate) trait Split {
        async fn first<'a>(&self, text: &'a str) -> &'a str;
        fn last<'a>(&self, text: &'a str) -> &'a str;
    }

    pub(crate) struct Spaces;

    impl Split for Spaces {
        async fn first<'a>(&self, text: &'a str) -> &'a str {
            text.split(' ').next().unwrap_or_default()
        }
        fn last<'a>(&self, text: &'a str) -> &'a str {
            text.rsplit(' ').next().unwrap_or_default()
        }
    }

    #[test]
    fn a_method_lifetime_named_like_the_companions() {
        block_on(async {
            let object = DynSplit::boxed(Spaces);
            assert_eq!(object.first("a b c").await, "a");
            assert_eq!(object.last("a b c"), "c");
        });
    }
}

/// A generator method of a `Send` native trait returns a `Send` stream, so generic code bound
/// only by the trait can send it; under `?Send` it need not be.
mod send_generator_methods {
    use std::rc::Rc;

    use async_ext::{Stream, async_stream};
    use futures::StreamExt;

    use super::{async_trait_ext, block_on};

    #[async_trait_ext(native, dyn = none)]
    pub(crate) trait Source {
        #[async_stream(item = u64)]
        async fn numbers(&self, upto: u64);
        #[async_stream(item = u64,)]
        async fn doubled(&self, upto: u64) {
            for n in 0..upto {
                yield_!(n * 2);
            }
        }
        #[async_trait_ext(?Send)]
        #[async_stream(item = Rc<u64>)]
        async fn shared(&self, upto: u64);
    }

    pub(crate) struct Counter;

    impl Source for Counter {
        #[async_stream(item = u64)]
        async fn numbers(&self, upto: u64) {
            for n in 0..upto {
                yield_!(n);
            }
        }
        #[async_stream(item = Rc<u64>)]
        async fn shared(&self, upto: u64) {
            for n in 0..upto {
                yield_!(Rc::new(n));
            }
        }
    }

    /// Sends the stream to another thread with nothing but the trait's bound.
    fn sum_elsewhere<S: Source + Sync>(source: &S, upto: u64) -> u64 {
        fn sendable<T: Stream<Item = u64> + Send>(stream: T) -> T {
            stream
        }
        let numbers = sendable(source.numbers(upto));
        let doubled = sendable(source.doubled(upto));
        std::thread::scope(|scope| {
            scope
                .spawn(move || {
                    block_on(numbers.collect::<Vec<_>>()).iter().sum::<u64>()
                        + block_on(doubled.collect::<Vec<_>>()).iter().sum::<u64>()
                })
                .join()
        })
        .unwrap_or_default()
    }

    #[test]
    fn generator_methods_are_send_in_a_send_trait() {
        assert_eq!(sum_elsewhere(&Counter, 4), 6 + 12);
        let shared = block_on(Counter.shared(3).collect::<Vec<_>>());
        assert_eq!(shared.iter().map(|n| **n).sum::<u64>(), 3);
    }
}
