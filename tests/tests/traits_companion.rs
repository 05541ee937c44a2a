//! Native mode's `Dyn` companion on every shape dynosaur's companions take: `impl Trait`
//! returns and arguments, methods with lifetimes of their own, sync and async methods mixed,
//! associated types, pointers to the companion used as implementors, and its visibility.

use std::fmt::Display;
use std::future::Future;
use std::sync::Arc;

use async_ext::async_trait_ext;
use async_ext_tests::yield_now;
use futures::executor::block_on;

fn assert_send<T: Send>(value: T) -> T {
    value
}

mod returns {
    //! `impl Trait` returns cross the companion boxed (`Pin<Box<…>>` for futures written by
    //! hand, which go inline like an `async fn`'s).
    use super::*;

    #[async_trait_ext(native)]
    pub(crate) trait Bag {
        fn items(&self) -> impl Iterator<Item = u8>;
        fn borrowed(&mut self) -> impl Iterator<Item = &u8> + '_;
        fn token(&self) -> impl Send;
        fn label(&self, prefix: &str) -> impl Display + '_;
        fn later(&self) -> impl Future<Output = u32>;
        async fn total(&self) -> u32;
    }

    pub(crate) struct Numbers(pub(crate) Vec<u8>);

    impl Bag for Numbers {
        fn items(&self) -> impl Iterator<Item = u8> + Send {
            self.0.clone().into_iter()
        }
        fn borrowed(&mut self) -> impl Iterator<Item = &u8> + Send + '_ {
            self.0.iter()
        }
        fn token(&self) -> impl Send {
            self.0.len()
        }
        fn label(&self, prefix: &str) -> impl Display + Send + '_ {
            format!("{prefix}{}", self.0.len())
        }
        async fn later(&self) -> u32 {
            yield_now().await;
            u32::from(self.0[0])
        }
        async fn total(&self) -> u32 {
            self.0.iter().map(|&item| u32::from(item)).sum()
        }
    }

    fn items_are_send<B: Bag + ?Sized>(bag: &B) -> Vec<u8> {
        assert_send(bag.items()).collect()
    }

    #[test]
    fn impl_trait_returns_through_the_companion() {
        let mut bag: Box<DynBag<'static>> = DynBag::boxed(Numbers(vec![3, 1, 2]));
        assert_eq!(bag.items().collect::<Vec<_>>(), [3, 1, 2]);
        assert_eq!(assert_send(bag.items()).sum::<u8>(), 6);
        assert_eq!(bag.borrowed().copied().max(), Some(3));
        assert_eq!(bag.label("n=").to_string(), "n=3");
        assert_eq!(block_on(bag.later()), 3);
        assert_eq!(block_on(bag.total()), 6);
        let _token: Box<dyn Send> = Box::new(bag.token());
        assert_eq!(items_are_send(&Numbers(vec![9])), [9]);
        assert_eq!(items_are_send(&*bag), [3, 1, 2]);
    }
}

mod arguments {
    //! `impl Trait` arguments cross the companion boxed: the implementor receives a
    //! `Box<dyn Trait>` (a `Pin<Box<dyn Future>>` for a future), which is that trait.
    use super::*;

    #[async_trait_ext(native)]
    trait Printer {
        fn show(&self, value: impl Display) -> String;
        fn apply(&self, f: impl Fn(u32) -> u32) -> u32;
        fn wait(&self, future: impl Future<Output = u32>) -> u32;
        async fn show_later(&self, value: impl Display + Send) -> String;
    }

    struct Brackets;

    impl Printer for Brackets {
        fn show(&self, value: impl Display) -> String {
            format!("[{value}]")
        }
        fn apply(&self, f: impl Fn(u32) -> u32) -> u32 {
            f(20) + 1
        }
        fn wait(&self, future: impl Future<Output = u32>) -> u32 {
            block_on(future) * 2
        }
        async fn show_later(&self, value: impl Display + Send) -> String {
            yield_now().await;
            format!("<{value}>")
        }
    }

    #[test]
    fn impl_trait_arguments_through_the_companion() {
        let printer: &DynPrinter<'_> = DynPrinter::from_ref(&Brackets);
        assert_eq!(printer.show(7), "[7]");
        assert_eq!(printer.show("text"), "[text]");
        let offset = 100;
        assert_eq!(printer.apply(|x| x + offset), 121);
        assert_eq!(printer.wait(async { 4 }), 8);
        assert_eq!(block_on(assert_send(printer.show_later(5))), "<5>");
        // Statically nothing is boxed: the same calls on the implementor.
        assert_eq!(Brackets.show(1.5), "[1.5]");
    }
}

mod own_lifetimes {
    //! Methods declaring lifetimes of their own, named like the companion's would be.
    use super::*;

    #[async_trait_ext(native)]
    trait Pick<'a, 'b> {
        async fn first<'d, 'e>(&self, x: &'d u32, y: &'e u32) -> &'a u32
        where
            'b: 'a;
        fn longest<'a2>(&self, x: &'a2 str, y: &'a2 str) -> &'a2 str;
    }

    #[async_trait_ext(native)]
    trait Shadow {
        fn keep<'a>(&self, x: &'a str) -> &'a str;
        async fn keep_later<'a>(&self, x: &'a str) -> &'a str;
    }

    struct Held<'a>(&'a u32);

    impl<'a, 'b> Pick<'a, 'b> for Held<'a> {
        async fn first<'d, 'e>(&self, x: &'d u32, y: &'e u32) -> &'a u32
        where
            'b: 'a,
        {
            assert_eq!(x + y, 3);
            self.0
        }
        fn longest<'a2>(&self, x: &'a2 str, y: &'a2 str) -> &'a2 str {
            if y.len() > x.len() { y } else { x }
        }
    }

    impl Shadow for Held<'_> {
        fn keep<'a>(&self, x: &'a str) -> &'a str {
            &x[1..]
        }
        async fn keep_later<'a>(&self, x: &'a str) -> &'a str {
            &x[2..]
        }
    }

    #[test]
    fn method_lifetimes_whatever_their_names() {
        let value = 42;
        let held = Held(&value);
        let pick: &DynPick<'_, '_, '_> = DynPick::from_ref(&held);
        assert_eq!(*block_on(pick.first(&1, &2)), 42);
        assert_eq!(pick.longest("ab", "abc"), "abc");
        let shadow: &DynShadow<'_> = DynShadow::from_ref(&held);
        assert_eq!(shadow.keep("xyz"), "yz");
        assert_eq!(block_on(shadow.keep_later("xyz")), "z");
    }
}

mod pointers {
    //! `Box<DynNext>`, `&DynNext`, `&mut DynNext` and `Arc<DynNext>` implement the trait, in
    //! `Send` and `?Send` modes, and `&mut DynNext::boxed(v)` goes where `&mut DynNext` does.
    use super::*;

    #[async_trait_ext(native)]
    trait Next {
        type Item;
        async fn next(&mut self) -> Option<Self::Item>;
        fn remaining(&self) -> usize;
    }

    #[async_trait_ext(native, ?Send)]
    trait LocalNext {
        type Item;
        async fn next(&mut self) -> Option<Self::Item>;
    }

    #[async_trait_ext(native)]
    trait Peek {
        async fn peek(&self) -> u8;
    }

    struct Countdown(u8);

    impl Next for Countdown {
        type Item = u8;
        async fn next(&mut self) -> Option<u8> {
            yield_now().await;
            self.0 = self.0.checked_sub(1)?;
            Some(self.0)
        }
        fn remaining(&self) -> usize {
            usize::from(self.0)
        }
    }

    impl LocalNext for Countdown {
        type Item = u8;
        async fn next(&mut self) -> Option<u8> {
            let rc = std::rc::Rc::new(());
            yield_now().await;
            drop(rc);
            self.0 = self.0.checked_sub(1)?;
            Some(self.0)
        }
    }

    impl Peek for Countdown {
        async fn peek(&self) -> u8 {
            self.0
        }
    }

    async fn drain_dyn(iter: &mut DynNext<'_, u8>) -> Vec<u8> {
        let mut out = Vec::new();
        while let Some(item) = iter.next().await {
            out.push(item);
        }
        out
    }

    async fn drain_static(mut iter: impl Next<Item = u8>) -> Vec<u8> {
        let mut out = Vec::new();
        while let Some(item) = iter.next().await {
            out.push(item);
        }
        out
    }

    async fn drain_local(mut iter: impl LocalNext<Item = u8>) -> Vec<u8> {
        let mut out = Vec::new();
        while let Some(item) = iter.next().await {
            out.push(item);
        }
        out
    }

    async fn peek_twice(peek: impl Peek) -> u8 {
        peek.peek().await + peek.peek().await
    }

    #[test]
    fn pointers_to_the_companion_are_implementors() {
        assert_eq!(
            block_on(drain_dyn(&mut DynNext::boxed(Countdown(3)))),
            [2, 1, 0]
        );
        assert_eq!(
            block_on(drain_dyn(DynNext::from_mut(&mut Countdown(2)))),
            [1, 0]
        );
        assert_eq!(block_on(drain_static(DynNext::boxed(Countdown(2)))), [1, 0]);
        assert_eq!(
            block_on(drain_static(DynNext::from_mut(&mut Countdown(1)))),
            [0]
        );
        let boxed = DynNext::boxed(Countdown(4));
        assert_eq!(Next::remaining(&boxed), 4);
        assert_eq!(
            block_on(drain_local(DynLocalNext::boxed(Countdown(2)))),
            [1, 0]
        );
        assert_eq!(
            block_on(drain_local(DynLocalNext::from_mut(&mut Countdown(1)))),
            [0]
        );
        let mut local = DynLocalNext::boxed(Countdown(3));
        assert_eq!(block_on(drain_local(&mut *local)), [2, 1, 0]);
        let countdown = Countdown(6);
        assert_eq!(block_on(peek_twice(DynPeek::from_ref(&countdown))), 12);
        let shared: Arc<DynPeek<'static>> = Arc::new(Countdown(7));
        assert_eq!(block_on(peek_twice(Arc::clone(&shared))), 14);
        assert_eq!(block_on(peek_twice(DynPeek::boxed(Countdown(1)))), 2);
    }
}

mod visibility {
    //! `dyn = pub(crate) Name`: the companion's visibility is its own.

    // The point is to spell `pub` and `pub(crate)` inside a private module.
    #[allow(unreachable_pub)]
    pub(crate) mod inner {
        use async_ext::async_trait_ext;

        #[async_trait_ext(native, dyn = pub(crate) DynCrateShape)]
        pub trait Shape {
            fn sides(&self) -> u8;
        }

        #[async_trait_ext(native, dyn = pub DynPrivateShape)]
        pub(crate) trait PrivateShape {
            fn sides(&self) -> u8;
        }

        pub struct Square;

        impl Shape for Square {
            fn sides(&self) -> u8 {
                4
            }
        }

        impl PrivateShape for Square {
            fn sides(&self) -> u8 {
                40
            }
        }
    }

    #[test]
    fn companions_are_reachable_with_their_visibility() {
        use inner::{DynCrateShape, DynPrivateShape, Shape};
        let shape: &DynCrateShape<'_> = DynCrateShape::from_ref(&inner::Square);
        assert_eq!(shape.sides(), 4);
        let private: &DynPrivateShape<'_> = DynPrivateShape::from_ref(&inner::Square);
        assert_eq!(inner::PrivateShape::sides(private), 40);
    }
}

mod unsafe_traits {
    //! An `unsafe trait` gets a companion; its impls for the companion are `unsafe impl`s, the
    //! trait's own `unsafe` repeated as a hand-written forwarding impl would.
    use super::*;

    /// # Safety
    ///
    /// `checksum` must return the sum of the bytes of `data`.
    #[async_trait_ext(native)]
    unsafe trait Checksum {
        async fn checksum(&self, data: &[u8]) -> u32;
    }

    struct Adder;

    // SAFETY: returns the sum of the bytes, as the contract asks.
    unsafe impl Checksum for Adder {
        async fn checksum(&self, data: &[u8]) -> u32 {
            yield_now().await;
            data.iter().map(|&byte| u32::from(byte)).sum()
        }
    }

    async fn trusted<C: Checksum + ?Sized>(checksum: &C) -> u32 {
        checksum.checksum(&[1, 2, 3]).await
    }

    #[test]
    fn unsafe_trait_companion() {
        let boxed: Box<DynChecksum<'static>> = DynChecksum::boxed(Adder);
        assert_eq!(block_on(trusted(&*boxed)), 6);
        assert_eq!(block_on(boxed.checksum(&[10, 20])), 30);
    }
}

mod send_returns {
    //! In a `Send` native trait a method returning `impl Trait` promises `Send` too, so generic
    //! code can move what it returns into a spawned task; `#[async_trait_ext(?Send)]` on the
    //! method drops the promise.
    use super::*;
    use std::rc::Rc;

    #[async_trait_ext(native)]
    pub(crate) trait Source {
        fn values(&self) -> impl Iterator<Item = u32>;
        fn ready(&self) -> impl Future<Output = u32>;
        #[async_trait_ext(?Send)]
        fn shared(&self) -> impl Iterator<Item = Rc<u32>>;
    }

    struct Counter(u32);

    impl Source for Counter {
        fn values(&self) -> impl Iterator<Item = u32> + Send {
            0..self.0
        }
        async fn ready(&self) -> u32 {
            self.0 * 10
        }
        fn shared(&self) -> impl Iterator<Item = Rc<u32>> {
            (0..self.0).map(Rc::new)
        }
    }

    /// The spawned task holds the iterator and the future across an `.await`: both must be
    /// `Send`, which only the trait's promise tells generic code.
    async fn spawn_both<S>(source: Arc<S>) -> (Vec<u32>, u32)
    where
        S: Source + Send + Sync + ?Sized + 'static,
    {
        let task = tokio::spawn(async move {
            let values = source.values();
            yield_now().await;
            let ready = source.ready();
            yield_now().await;
            (values.collect::<Vec<_>>(), ready.await)
        });
        task.await.unwrap()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn impl_trait_returns_are_send_and_spawnable() {
        assert_eq!(spawn_both(Arc::new(Counter(3))).await, (vec![0, 1, 2], 30));
        let companion: Arc<DynSource<'static>> = Arc::new(Counter(2));
        assert_eq!(spawn_both(companion).await, (vec![0, 1], 20));
        let shared: Vec<u32> = Counter(2).shared().map(|rc| *rc).collect();
        assert_eq!(shared, [0, 1]);
        let through: Vec<u32> = DynSource::boxed(Counter(3))
            .shared()
            .map(|rc| *rc)
            .collect();
        assert_eq!(through, [0, 1, 2]);
    }
}

mod stream_methods {
    //! `#[async_stream]` methods of a native trait: `Send` in a `Send` trait (generic code can
    //! spawn them), with no helper bound in the signature, and through the companion like any
    //! `impl Trait` return; `boxed` ones as they are.
    use super::*;
    use async_ext::{Stream, async_stream, async_try_stream};
    use futures::StreamExt;

    #[async_trait_ext(native, local = LocalCache)]
    pub(crate) trait Cache {
        #[async_stream(item = u64)]
        async fn keys(&self, below: u64);
        #[async_try_stream(ok = u64, error = String)]
        async fn checked(&self, below: u64);
        #[async_stream(boxed, item = u64)]
        async fn boxed_keys(&self);
        /// Default body: every key, doubled.
        #[async_stream(item = u64)]
        async fn doubled(&self) {
            let mut keys = std::pin::pin!(self.keys(u64::MAX));
            while let Some(key) = keys.next().await {
                yield_!(key * 2);
            }
        }
    }

    struct Memory(Vec<u64>);

    impl Cache for Memory {
        #[async_stream(item = u64)]
        async fn keys(&self, below: u64) {
            for &key in &self.0 {
                yield_now().await;
                if key < below {
                    yield_!(key);
                }
            }
        }
        #[async_try_stream(ok = u64, error = String)]
        async fn checked(&self, below: u64) {
            for &key in &self.0 {
                if key >= below {
                    Err(format!("{key} is too big"))?;
                }
                yield_!(key);
            }
        }
        #[async_stream(boxed, item = u64)]
        async fn boxed_keys(&self) {
            for &key in &self.0 {
                yield_!(key + 100);
            }
        }
    }

    async fn spawn_streams<C>(cache: Arc<C>) -> (Vec<u64>, Vec<u64>, Vec<Result<u64, String>>)
    where
        C: Cache + Send + Sync + ?Sized + 'static,
    {
        let task = tokio::spawn(async move {
            let keys: Vec<u64> = cache.keys(3).collect().await;
            let mut doubled = Box::pin(cache.doubled());
            let first = doubled.next().await;
            yield_now().await;
            let rest: Vec<u64> = doubled.collect().await;
            let checked = cache.checked(3).collect().await;
            (keys, first.into_iter().chain(rest).collect(), checked)
        });
        task.await.unwrap()
    }

    fn is_stream<S: Stream<Item = u64> + Send>(stream: S) -> S {
        stream
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn stream_methods_are_send_and_go_through_the_companion() {
        let expected = (
            vec![1, 2],
            vec![2, 4, 6],
            vec![Ok(1), Ok(2), Err("3 is too big".to_owned())],
        );
        assert_eq!(
            spawn_streams(Arc::new(Memory(vec![1, 2, 3]))).await,
            expected
        );
        let companion: Arc<DynCache<'static>> = Arc::new(Memory(vec![1, 2, 3]));
        assert_eq!(spawn_streams(Arc::clone(&companion)).await, expected);
        // Both `Cache` and `LocalCache` are in scope here, so the call names its trait.
        let boxed: Vec<u64> = Cache::boxed_keys(&*companion).collect().await;
        assert_eq!(boxed, [101, 102, 103]);
        let memory = Memory(vec![5]);
        assert_eq!(
            is_stream(Cache::keys(&memory, 9)).collect::<Vec<_>>().await,
            [5]
        );
        let local: Vec<u64> = LocalCache::keys(&memory, 9).collect().await;
        assert_eq!(local, [5]);
    }
}

mod cfg_arguments {
    //! An argument under `#[cfg]` in a method the companion (and the local variant) forwards:
    //! each forwards the arguments that exist. (Integration tests build with `cfg(test)`;
    //! `any()` is always off and `all()` always on.)
    #![allow(clippy::non_minimal_cfg)]
    use super::*;

    #[async_trait_ext(native, local = LocalSum)]
    trait Sum {
        async fn sum(&self, a: u32, #[cfg(test)] b: u32, #[cfg(not(test))] c: u32) -> u32;
        fn pick(&self, #[cfg(any())] never: u8, #[cfg(all())] always: u8) -> u8;
    }

    struct Adder(u32);

    impl Sum for Adder {
        async fn sum(&self, a: u32, #[cfg(test)] b: u32, #[cfg(not(test))] c: u32) -> u32 {
            yield_now().await;
            #[cfg(not(test))]
            let b = c;
            self.0 + a + b
        }
        fn pick(&self, #[cfg(any())] never: u8, #[cfg(all())] always: u8) -> u8 {
            #[cfg(any())]
            let _ = never;
            always + 1
        }
    }

    async fn local_sum<S: LocalSum + ?Sized>(sum: &S) -> u32 {
        sum.sum(1, 2).await
    }

    #[test]
    fn cfg_arguments_are_forwarded_when_they_exist() {
        let object: Box<DynSum<'static>> = DynSum::boxed(Adder(100));
        assert_eq!(block_on(Sum::sum(&*object, 1, 2)), 103);
        assert_eq!(Sum::pick(&*object, 4), 5);
        assert_eq!(block_on(local_sum(&Adder(10))), 13);
        assert_eq!(block_on(local_sum(&object)), 103);
        assert_eq!(LocalSum::pick(&Adder(0), 8), 9);
    }
}

mod relaxed_with_send_promises {
    //! A `?Send` trait whose method still promises a `Send` future, and a `Send` supertrait:
    //! the companion is then `Send + Sync` (its forwarding future holds `&self`), and the
    //! pointers to it that are `Send` implement the trait.
    use super::*;

    #[async_trait_ext(native, ?Send, dyn = DynFoo)]
    trait Foo: Send {
        fn foo(&self) -> impl Future<Output = i32> + Send;
        async fn local(&self) -> i32;
    }

    struct FooImpl(i32);

    impl Foo for FooImpl {
        async fn foo(&self) -> i32 {
            yield_now().await;
            self.0
        }
        async fn local(&self) -> i32 {
            let rc = std::rc::Rc::new(self.0 + 1);
            yield_now().await;
            *rc
        }
    }

    async fn both<F: Foo + ?Sized>(value: &F) -> (i32, i32) {
        (assert_send(value.foo()).await, value.local().await)
    }

    fn is_foo<F: Foo>(value: F) -> F {
        value
    }

    /// `Sync` but not `Send`: `Arc<DynOnlySync>` is neither, so only `Box`, `&` and `&mut` of
    /// the companion implement the trait.
    #[async_trait_ext(native, ?Send)]
    trait OnlySync: Sync {
        fn value(&self) -> u8;
    }

    impl OnlySync for FooImpl {
        fn value(&self) -> u8 {
            u8::try_from(self.0).unwrap()
        }
    }

    fn value_of<O: OnlySync>(only: O) -> u8 {
        only.value()
    }

    #[test]
    fn pointers_that_meet_the_supertraits() {
        let object: Box<DynOnlySync<'static>> = DynOnlySync::boxed(FooImpl(3));
        assert_eq!(value_of(&*object), 3);
        assert_eq!(value_of(object), 3);
    }

    #[test]
    fn send_promises_hold_under_relaxed_send() {
        let object: Box<DynFoo<'static>> = DynFoo::boxed(FooImpl(4));
        assert_eq!(block_on(both(&*object)), (4, 5));
        let shared: Arc<DynFoo<'static>> = Arc::new(FooImpl(6));
        assert_eq!(block_on(both(&is_foo(shared))), (6, 7));
        assert_eq!(block_on(both(&is_foo(&*object))), (4, 5));
    }
}

mod pointer_impl_coherence {
    //! The companion's pointer impl is one generic impl bounded by a marker trait of the
    //! trait's crate: the user's own impls for foreign types (`()`, `u32`, `String`), for a
    //! `Box` or a reference of their own type, and for `Box<u32>` stay legal beside it, and
    //! each keeps its own behaviour.
    use super::*;

    #[async_trait_ext(native)]
    trait Label {
        async fn label(&self) -> String;
    }

    struct Named(&'static str);

    impl Label for Named {
        async fn label(&self) -> String {
            self.0.to_owned()
        }
    }

    impl Label for () {
        async fn label(&self) -> String {
            "unit".to_owned()
        }
    }

    impl Label for u32 {
        async fn label(&self) -> String {
            format!("u32 {self}")
        }
    }

    impl Label for String {
        async fn label(&self) -> String {
            format!("string {self}")
        }
    }

    impl Label for Box<Named> {
        async fn label(&self) -> String {
            format!("boxed {}", self.0)
        }
    }

    impl Label for &Named {
        async fn label(&self) -> String {
            format!("borrowed {}", self.0)
        }
    }

    impl Label for Box<u32> {
        async fn label(&self) -> String {
            format!("boxed u32 {self}")
        }
    }

    async fn label_of(value: impl Label) -> String {
        value.label().await
    }

    #[test]
    fn own_impls_for_foreign_and_pointer_types_live_beside_the_companion() {
        assert_eq!(block_on(label_of(())), "unit");
        assert_eq!(block_on(label_of(7_u32)), "u32 7");
        assert_eq!(block_on(label_of(String::from("s"))), "string s");
        assert_eq!(block_on(label_of(Box::new(Named("n")))), "boxed n");
        assert_eq!(block_on(label_of(&Named("r"))), "borrowed r");
        assert_eq!(block_on(label_of(Box::new(3_u32))), "boxed u32 3");
        // The companion's pointers still forward to the value inside.
        assert_eq!(block_on(label_of(DynLabel::boxed(Named("d")))), "d");
        assert_eq!(block_on(label_of(DynLabel::from_ref(&Named("e")))), "e");
        let shared: Arc<DynLabel<'static>> = Arc::new(Named("a"));
        assert_eq!(block_on(label_of(shared)), "a");
    }
}
