//! `#[async_trait_ext]` expansions in a public API, under the strictest lints: generated code
//! must add no warning (rustc's and clippy pedantic's, checked by CI's clippy run) and no
//! `unsafe`, and keep the doc comment of every method (`missing_docs`).

#![deny(warnings, clippy::pedantic)]
#![forbid(unsafe_code)]
#![deny(
    missing_docs,
    unreachable_pub,
    unused_qualifications,
    elided_lifetimes_in_paths,
    single_use_lifetimes,
    unused_lifetimes,
    unused_results,
    trivial_casts,
    variant_size_differences
)]

use async_ext::async_trait_ext;
use std::fmt::Display;
use std::pin::Pin;
use std::sync::Arc;

/// A public trait with every kind of method.
#[async_trait_ext]
pub trait Service<Request: Send + 'static>: Send + Sync {
    /// The response.
    type Response: Send;
    /// By reference, with an elided lifetime.
    async fn call(&self, request: Request, label: &str) -> Self::Response;
    /// By mutable reference.
    async fn reset(&mut self);
    /// A default body.
    async fn ready(&self) -> bool {
        true
    }
    /// A named lifetime, `impl Trait` and a pattern argument.
    async fn pick<'a>(
        &self,
        items: &'a [u8],
        (skip, _): (usize, u8),
        label: impl Display + Send,
    ) -> Option<&'a u8>
    where
        Self: Sized;
    /// Owning receivers.
    async fn into_name(self: Box<Self>) -> String;
    /// Shared receiver.
    async fn shared(self: Arc<Self>) -> usize;
    /// Pinned receiver.
    async fn pinned(self: Pin<&mut Self>) -> u8;
    /// A generic method, kept out of `dyn`.
    async fn generic<T: Send + 'static>(&self, value: T) -> T
    where
        Self: Sized,
    {
        value
    }
    /// Not `Send`.
    #[async_trait_ext(?Send)]
    async fn local(&self) -> usize;
    /// A sync method.
    fn name(&self) -> &'static str {
        "service"
    }
}

/// A public implementor.
#[derive(Debug, Default)]
pub struct Echo {
    calls: usize,
}

#[async_trait_ext]
impl Service<String> for Echo {
    type Response = String;
    async fn call(&self, request: String, label: &str) -> String {
        format!("{label}: {request} ({})", self.calls)
    }
    async fn reset(&mut self) {
        self.calls = 0;
    }
    async fn pick<'a>(
        &self,
        items: &'a [u8],
        (skip, _): (usize, u8),
        label: impl Display + Send,
    ) -> Option<&'a u8> {
        let _ = label.to_string();
        items.get(skip)
    }
    async fn into_name(self: Box<Self>) -> String {
        format!("echo after {} calls", self.calls)
    }
    async fn shared(self: Arc<Self>) -> usize {
        Arc::strong_count(&self)
    }
    async fn pinned(self: Pin<&mut Self>) -> u8 {
        self.get_mut().calls = 9;
        9
    }
    #[async_trait_ext(?Send)]
    async fn local(&self) -> usize {
        let rc = std::rc::Rc::new(self.calls);
        async {}.await;
        *rc
    }
}

/// A public `?Send` trait with a generic lifetime.
#[async_trait_ext(?Send)]
pub trait Parser<'input> {
    /// Parses a word.
    async fn word(&self, input: &'input str) -> &'input str;
}

#[async_trait_ext(?Send)]
impl<'input> Parser<'input> for Echo {
    async fn word(&self, input: &'input str) -> &'input str {
        input.split(' ').next().unwrap_or_default()
    }
}

/// A trait used only through generics: its generic methods need no `where Self: Sized`.
#[async_trait_ext]
pub trait Codec {
    /// Generic over a type.
    async fn encode<T: Display + Send + 'static>(&self, value: T) -> String;
    /// Generic through `impl Trait`.
    async fn decode(&self, input: impl AsRef<str> + Send) -> usize;
}

#[async_trait_ext]
impl Codec for Echo {
    async fn encode<T: Display + Send + 'static>(&self, value: T) -> String {
        value.to_string()
    }
    async fn decode(&self, input: impl AsRef<str> + Send) -> usize {
        input.as_ref().len()
    }
}

/// A public native trait whose companion needs `&T: Send` (so `T: Sync`), with a method
/// returning a future (no `async_yields_async` from the expansion) and a default body that
/// ends in `return` (no `diverging_sub_expression`).
#[async_trait_ext(native)]
pub trait Lookup<T> {
    /// Borrows a key of the trait's parameter type.
    async fn contains(&self, key: &T) -> bool;
    /// Returns a future.
    async fn later(&self) -> std::future::Ready<u8> {
        std::future::ready(1)
    }
    /// Ends in `return`.
    #[allow(clippy::needless_return)]
    async fn fallback(&self) -> &'static dyn Display {
        return &"none";
    }
}

impl<T: Sync + PartialEq + From<u8>> Lookup<T> for Echo {
    async fn contains(&self, key: &T) -> bool {
        *key == T::from(0)
    }
}

/// The same in boxed mode.
#[async_trait_ext]
pub trait BoxedLookup {
    /// Returns a future.
    async fn later(&self) -> std::future::Ready<u8> {
        std::future::ready(2)
    }
    /// Ends in `return`.
    #[allow(clippy::needless_return)]
    async fn fallback(&self) -> &'static dyn Display {
        return &"boxed";
    }
}

#[async_trait_ext]
impl BoxedLookup for Echo {}

/// A public native trait with a local variant, a companion of its own visibility, `impl Trait`
/// returns and arguments, a generator method, and receivers every companion pointer forwards.
#[async_trait_ext(native, local = LocalCatalog, dyn = pub DynCatalog)]
pub trait Catalog {
    /// Owned entries.
    fn entries(&self) -> impl Iterator<Item = u8>;
    /// Borrowed from `self`.
    fn label(&self, prefix: &str) -> impl Display + '_;
    /// An `impl Trait` argument.
    async fn show(&self, value: impl Display + Send) -> String;
    /// A generator method.
    #[async_ext::async_stream(item = u8)]
    async fn stream(&self);
    /// A default body.
    fn count(&self) -> usize {
        self.entries().count()
    }
}

impl Catalog for Echo {
    fn entries(&self) -> impl Iterator<Item = u8> + Send {
        [1, 2].into_iter()
    }
    fn label(&self, prefix: &str) -> impl Display + Send + '_ {
        format!("{prefix}{}", self.calls)
    }
    async fn show(&self, value: impl Display + Send) -> String {
        value.to_string()
    }
    #[async_ext::async_stream(item = u8)]
    async fn stream(&self) {
        yield_!(7);
    }
}

#[test]
fn native_companion_shapes_and_local_variant() {
    use futures::StreamExt;
    let echo = Echo::default();
    let object: Box<DynCatalog<'_>> = DynCatalog::boxed(Echo::default());
    // `Catalog` and `LocalCatalog` are both in scope here: calls name their trait.
    assert_eq!(Catalog::entries(&object).sum::<u8>(), 3);
    assert_eq!(Catalog::label(&object, "n").to_string(), "n0");
    assert_eq!(Catalog::count(&object), 2);
    futures::executor::block_on(async {
        assert_eq!(Catalog::show(&object, 4).await, "4");
        assert_eq!(Catalog::stream(&object).collect::<Vec<_>>().await, [7]);
        assert_eq!(LocalCatalog::show(&echo, 5).await, "5");
    });
}

#[test]
fn futures_returned_and_generic_companions() {
    futures::executor::block_on(async {
        let echo = Echo::default();
        let object: &DynLookup<'_, u8> = DynLookup::from_ref(&echo);
        assert!(object.contains(&0).await);
        assert_eq!(object.later().await.await, 1);
        assert_eq!(object.fallback().await.to_string(), "none");
        assert_eq!(BoxedLookup::later(&echo).await.await, 2);
        assert_eq!(BoxedLookup::fallback(&echo).await.to_string(), "boxed");
    });
}

#[test]
fn the_public_api_works() {
    let mut echo = Echo::default();
    futures::executor::block_on(async {
        assert_eq!(echo.call("hi".to_owned(), "x").await, "x: hi (0)");
        echo.reset().await;
        assert!(echo.ready().await);
        assert_eq!(echo.pick(&[1, 2], (1, 0), "l").await, Some(&2));
        assert_eq!(echo.generic(3).await, 3);
        assert_eq!(echo.local().await, 0);
        assert_eq!(echo.word("a b").await, "a");
        assert_eq!(echo.encode(12).await, "12");
        assert_eq!(echo.decode("abc").await, 3);
        assert_eq!(Pin::new(&mut echo).pinned().await, 9);
        let object: Box<dyn Service<String, Response = String>> = Box::new(Echo::default());
        assert_eq!(object.name(), "service");
        assert_eq!(object.into_name().await, "echo after 0 calls");
        let shared: Arc<dyn Service<String, Response = String>> = Arc::new(Echo::default());
        assert_eq!(shared.shared().await, 1);
    });
}
