//! Async generators on stable Rust: [`stream!`], [`try_stream!`], `#[async_stream]`,
//! `#[async_try_stream]` and [`yield_!`]. See the [guide chapter](crate::guide::streams).

mod generator;

pub use generator::AsyncStream;

/// An async generator: a block that yields items with `yield expr;` and may `.await`,
/// evaluated lazily as a [`Stream`](futures_core::Stream).
///
/// # Syntax
///
/// ```text
/// stream! { BODY }               the item type is inferred from the `yield`s
/// stream!(<T> { BODY })          names the item type where inference cannot
/// ```
///
/// The syntax is async-stream's, so switching is a change of import: in `BODY`,
/// `yield expr;` yields an item, `for await pat in stream { … }` loops over a stream, `.await`
/// works, and `yield` works inside other macros' arguments (`tokio::select!` arms, `join!`).
/// A body with no `yield` gives a stream of `()`. `?` is a compile error here, pointing at the
/// `?` (use [`try_stream!`](crate::try_stream!)); `yield` inside a closure or an async block
/// nested in the body is an error at that `yield`. The stream allocates nothing and is `Send`
/// exactly when its state is. The attribute form is
/// [`#[async_stream]`](macro@crate::async_stream).
///
/// ```
/// use async_ext::stream;
/// use futures::StreamExt;
///
/// let numbers = stream! {
///     for i in 0..3u32 {
///         yield i * 10;
///     }
/// };
/// let items: Vec<u32> = futures::executor::block_on(numbers.collect());
/// assert_eq!(items, [0, 10, 20]);
/// ```
///
/// See the [guide chapter](crate::guide::streams).
#[macro_export]
macro_rules! stream {
    ($($tokens:tt)*) => {
        $crate::__private::stream_inner!(($crate) $($tokens)*)
    };
}

/// An async generator of `Result`s: `yield value;` yields `Ok(value)`, and `?` yields
/// `Err(From::from(error))` and ends the stream.
///
/// # Syntax
///
/// ```text
/// try_stream! { BODY }                 item and error types inferred
/// try_stream!(<T, E> { BODY })         names them where inference cannot; either may be `_`
/// ```
///
/// The body is `stream!`'s, plus `?`: the items are `Result<T, E>`, a `yield value;` yields
/// `Ok(value)`, and `?` yields `Err(From::from(error))` and ends the stream. A `?` inside a
/// closure or async block nested in the body belongs to that closure or block, as anywhere in
/// Rust. The attribute form is [`#[async_try_stream]`](macro@crate::async_try_stream).
///
/// ```
/// use async_ext::try_stream;
/// use futures::StreamExt;
///
/// let parsed = try_stream!(<_, std::num::ParseIntError> {
///     for text in ["1", "2", "x", "4"] {
///         let n: u32 = text.parse()?;
///         yield n;
///     }
/// });
/// let items: Vec<_> = futures::executor::block_on(parsed.collect());
/// assert_eq!(items.len(), 3);
/// assert_eq!(items[..2], [Ok(1), Ok(2)]);
/// assert!(items[2].is_err());
/// ```
///
/// See the [guide chapter](crate::guide::streams).
#[macro_export]
macro_rules! try_stream {
    ($($tokens:tt)*) => {
        $crate::__private::try_stream_inner!(($crate) $($tokens)*)
    };
}

/// Yields one item from the body of an `#[async_stream]` or `#[async_try_stream]` fn.
///
/// # Syntax
///
/// ```text
/// yield_!(EXPR);     in #[async_stream(item = T)]: yields EXPR, a T
///                    in #[async_try_stream(ok = T, error = E)]: yields Ok(EXPR)
/// ```
///
/// Stable Rust rejects a bare `yield` in an `async fn` before any macro runs, so the attribute
/// forms spell it `yield_!`. The attribute rewrites every `yield_!(expr)` in its body, so no
/// import of `yield_!` is needed (and `stream!` accepts it too); anywhere else, inside a
/// closure or async block nested in the body included, this macro is a compile error at that
/// token. See the [guide chapter](crate::guide::streams).
///
/// ```
/// use async_ext::async_stream;
/// use futures::StreamExt;
///
/// #[async_stream(item = u32)]
/// async fn countdown(from: u32) {
///     for i in (1..=from).rev() {
///         yield_!(i);
///     }
/// }
///
/// let items: Vec<u32> = futures::executor::block_on(countdown(3).collect());
/// assert_eq!(items, [3, 2, 1]);
/// ```
#[macro_export]
macro_rules! yield_ {
    ($($tokens:tt)*) => {
        ::core::compile_error!(
            "`yield_!` can only be used in the body of an `#[async_stream]` or \
             `#[async_try_stream]` fn (or inside `stream!`/`try_stream!`), not in a closure \
             or an async block nested in it"
        )
    };
}

/// Items that generated code reaches through `async_ext::__private`.
pub(crate) mod private {
    use core::future::Future;

    use super::generator::AsyncStream;
    /// The body's output (`()` or `Result<(), E>`), its yielder and a yield's future: the
    /// types the generated closure and body name.
    pub use super::generator::{BodyOutput, YieldFuture, Yielder};

    /// The `Stream` trait, so generated signatures (`impl Stream<Item = T>`) need no
    /// `futures-core` dependency in the user's crate. Hidden, so diagnostics name the public
    /// `async_ext::Stream` instead.
    #[doc(hidden)]
    pub use futures_core::Stream;

    /// Builds the stream of `stream!` and `#[async_stream]`; the macro passes
    /// `move |hidden_yielder| async move { body }`. Safe to call by hand with any closure:
    /// the yielder panics rather than write outside its own stream's poll (`generator.rs`).
    #[inline]
    pub fn stream_new<T, F, Fut>(build_body: F) -> AsyncStream<T, F, Fut>
    where
        F: FnOnce(Yielder<T>) -> Fut,
        Fut: Future<Output = ()>,
    {
        AsyncStream::new(build_body)
    }

    /// Builds the stream of `try_stream!` and `#[async_try_stream]`: the body returns
    /// `Result<(), E>` so `?` works natively, and its `Err` becomes the last item. Tying `E`
    /// to the item type here is what lets `?` infer the error type from the item type.
    #[inline]
    pub fn try_stream_new<T, E, F, Fut>(build_body: F) -> AsyncStream<Result<T, E>, F, Fut>
    where
        F: FnOnce(Yielder<Result<T, E>>) -> Fut,
        Fut: Future<Output = Result<(), E>>,
    {
        AsyncStream::new(build_body)
    }

    /// Lets an `impl Stream` return type capture lifetimes in every edition:
    /// `impl Stream<Item = T> + Captures<(&'a (), &'b ())>` (edition 2021 captures only
    /// the lifetimes named in the bounds).
    pub trait Captures<T: ?Sized> {}

    impl<T: ?Sized, U: ?Sized> Captures<U> for T {}
}
