//! Terse code expands without a warning: every macro, in every mode, written the way a user
//! writes it when the body is short — one-line bodies (`{ 0 }`), unit bodies, `_`-named
//! arguments, one-expression closures and generators, one-line loops — under the strictest
//! lints. Building this file is the test for rustc's lints (`unused_braces` among them); CI's
//! `cargo clippy --all-targets -- -D warnings` is the test for clippy's. The `#[test]`s run every
//! expansion, so nothing here is dead code and each one is checked to behave.
//!
//! `tests/lints_fix.rs` checks the other half: `cargo fix` on a file that has a warning of the
//! user's own leaves it compiling.

#![deny(warnings, clippy::all, clippy::pedantic)]
#![forbid(unsafe_code)]

use async_ext::Stream;

use terse::*;

/// The macros as a user writes them when bodies are short (rustfmt would spread them over
/// several lines, where rustc's `unused_braces` does not look).
#[rustfmt::skip]
pub mod terse {
    use async_ext::{
        AsyncFn, AsyncFnMut, AsyncFnOnce, Stream, async_closure, async_scope, async_stream,
        async_trait_ext, async_try_stream, defer_async, for_await, stream, try_stream,
    };

    /// Boxed mode (`Send`): one-line, unit and `_`-argument default bodies and impls.
    #[async_trait_ext]
    pub trait Boxed {
        /// One-line default body.
        async fn size(&self) -> usize { 0 }
        /// Unit default body.
        async fn touch(&self) {}
        /// An argument named `_unused`, not used.
        async fn ignore(&self, _unused: u8) -> u8 { 1 }
        /// An argument named `_`.
        async fn wild(&self, _: u8) -> u8 { 2 }
        /// A one-line body of a unit method that awaits.
        async fn wait(&self) { std::future::ready(()).await }
        /// Declared only.
        async fn get(&self, key: u8) -> u8;
        /// Declared only, unit.
        async fn put(&mut self, key: u8);
    }

    #[derive(Debug, Default)]
    pub struct Memory(u8);

    #[async_trait_ext]
    impl Boxed for Memory {
        async fn get(&self, key: u8) -> u8 { key + self.0 }
        async fn put(&mut self, key: u8) { self.0 = key }
        async fn ignore(&self, _unused: u8) -> u8 { 3 }
        async fn wild(&self, _: u8) -> u8 { 4 }
        async fn touch(&self) {}
    }

    /// Boxed mode without `Send`, on the trait and on one method.
    #[async_trait_ext(?Send)]
    pub trait Local {
        /// One-line default body.
        async fn size(&self) -> usize { 5 }
        /// Unit, declared only.
        async fn unit(&self, _: u8);
    }

    #[async_trait_ext(?Send)]
    impl Local for Memory {
        async fn unit(&self, _: u8) {}
    }

    /// One method `?Send` in a `Send` trait.
    #[async_trait_ext]
    pub trait Mixed {
        /// Not `Send`.
        #[async_trait_ext(?Send)]
        async fn local(&self, _unused: u8) -> u8 { 6 }
    }

    #[async_trait_ext]
    impl Mixed for Memory {}

    /// Native mode with its companion.
    #[async_trait_ext(native)]
    pub trait Native {
        /// One-line default body (the guide's own example shape).
        async fn size(&self) -> usize { 0 }
        /// Unit default body.
        async fn touch(&self) {}
        /// `_`-named arguments.
        async fn ignore(&self, _unused: u8, _: u8) -> u8 { 7 }
        /// Declared only.
        async fn get(&self, key: u8) -> u8;
    }

    impl Native for Memory {
        async fn get(&self, key: u8) -> u8 { key * 2 }
    }

    /// Native mode without a companion, not `Send`.
    #[async_trait_ext(native, ?Send, dyn = none)]
    pub trait NativeLocal {
        /// One-line default body.
        async fn size(&self) -> usize { 8 }
        /// Unit default body with a `_` argument.
        async fn touch(&self, _: u8) {}
        /// A one-line generator method.
        #[async_stream(item = u8)]
        async fn items(&self, _unused: u8) { yield_!(1) }
    }

    impl NativeLocal for Memory {}

    /// A boxed generator method, declared and implemented in one line.
    #[async_trait_ext]
    pub trait BoxedItems {
        /// Declared only.
        #[async_stream(item = u8, boxed)]
        async fn items(&self, _: u8);
    }

    #[async_trait_ext]
    impl BoxedItems for Memory {
        #[async_stream(item = u8, boxed)]
        async fn items(&self, _: u8) { yield_!(self.0) }
    }

    /// A stream of one item, a one-line generator.
    #[async_stream(item = u8)]
    pub async fn one() { yield_!(1) }

    /// A unit generator body with an unused `_`-named argument.
    #[async_stream(item = u8)]
    pub async fn none(_unused: u8) {}

    /// A one-line try generator.
    #[async_try_stream(ok = u8, error = std::num::ParseIntError)]
    pub async fn parse_one(_: u8, text: &str) { yield_!(text.parse()?) }

    /// A boxed one-line generator.
    #[async_stream(item = u8, boxed)]
    pub async fn boxed_one(n: u8) { yield_!(n) }

    /// `stream!` and `try_stream!` with one-expression bodies.
    pub fn macros() -> (
        impl Stream<Item = u8>,
        impl Stream<Item = Result<u8, std::num::ParseIntError>>,
    ) {
        (stream! { yield 1 }, try_stream! { yield "2".parse()? })
    }

    /// A one-line `for await` loop.
    #[for_await]
    pub async fn total(numbers: impl Stream<Item = u8>) -> u8 {
        let mut sum = 0;
        #[for_await]
        for x in numbers { sum += x }
        sum
    }

    /// A one-line `for await` loop in a unit fn with an `_` argument.
    #[for_await]
    pub async fn drain(numbers: impl Stream<Item = u8>, _: u8) {
        #[for_await]
        for _ in numbers {}
    }

    /// `#[async_scope]` with a one-line body and a `defer_async!`.
    #[async_scope]
    pub async fn scoped(_unused: u8) -> u8 {
        defer_async!(async {});
        9
    }

    /// `#[async_scope]` with a unit body.
    #[async_scope]
    pub async fn scoped_unit(_: u8) { defer_async!(std::future::ready(())) }

    /// Closures with one-expression bodies, unit bodies and `_`-named arguments.
    pub async fn closures() -> u8 {
        let add = async_closure!(async |x: u8| x + 1);
        let unit = async_closure!(async |_unused: u8| {});
        let wild = async_closure!({ let base = 2u8; } async |_: u8| base);
        let mut count = async_closure!({ let mut n = 0u8; } async |step: u8| { n += step; n });
        let once = async_closure!(once { let text = String::from("x"); } async |_: u8| text);
        unit.call((0,)).await;
        add.call((1,)).await + wild.call((0,)).await + count.call_mut((3,)).await
            + u8::try_from(once.call_once((0,)).await.len()).unwrap_or_default()
    }
}

async fn collect<S: Stream>(stream: S) -> Vec<S::Item> {
    let mut stream = std::pin::pin!(stream);
    let mut items = Vec::new();
    while let Some(item) = std::future::poll_fn(|cx| stream.as_mut().poll_next(cx)).await {
        items.push(item);
    }
    items
}

#[test]
fn every_terse_expansion_behaves() {
    futures::executor::block_on(async {
        let mut memory = Memory::default();
        assert_eq!(Boxed::size(&memory).await, 0);
        Boxed::touch(&memory).await;
        Boxed::wait(&memory).await;
        Boxed::put(&mut memory, 10).await;
        assert_eq!(Boxed::get(&memory, 1).await, 11);
        assert_eq!(Boxed::ignore(&memory, 0).await, 3);
        assert_eq!(Boxed::wild(&memory, 0).await, 4);
        assert_eq!(Local::size(&memory).await, 5);
        Local::unit(&memory, 0).await;
        assert_eq!(memory.local(0).await, 6);
        assert_eq!(Native::size(&memory).await, 0);
        Native::touch(&memory).await;
        assert_eq!(Native::ignore(&memory, 0, 0).await, 7);
        let object = DynNative::from_ref(&memory);
        assert_eq!(object.get(4).await, 8);
        assert_eq!(NativeLocal::size(&memory).await, 8);
        NativeLocal::touch(&memory, 0).await;
        assert_eq!(collect(NativeLocal::items(&memory, 0)).await, [1]);
        assert_eq!(collect(BoxedItems::items(&memory, 0)).await, [10]);

        assert_eq!(collect(one()).await, [1]);
        assert!(collect(none(0)).await.is_empty());
        assert_eq!(collect(parse_one(0, "12")).await, [Ok(12)]);
        assert_eq!(collect(boxed_one(3)).await, [3]);
        let (plain, fallible) = macros();
        assert_eq!(collect(plain).await, [1]);
        assert_eq!(collect(fallible).await, [Ok(2)]);
        assert_eq!(total(one()).await, 1);
        drain(one(), 0).await;
        assert_eq!(scoped(0).await, 9);
        scoped_unit(0).await;
        assert_eq!(closures().await, 2 + 2 + 3 + 1);
    });
}
