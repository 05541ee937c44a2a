//! Runtime of `for await` loops: the check that the looped expression is a stream, and the
//! next-item future the rewritten loop awaits.

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use futures_core::Stream;

// Checking the looped expression.
//
// A loop over something that is not a stream must give one error, at the user's expression,
// in the user's words: "`Vec<u32>` is not a `Stream`". Each check is a trait with two impls,
// told apart by a marker type parameter the call leaves to inference: the real one and one
// that no type satisfies. With two candidates rustc evaluates both, and when neither applies
// it reports the trait itself (so its `on_unimplemented` text) rather than the failed bound
// inside the real impl, and the projection the check returns becomes an error type, which
// silences every later use of the stream (the pin, `next`, the `.await`).

/// Marker of the real impls of the checks.
#[derive(Debug)]
pub enum Checked {}

/// Marker of the impls that never apply (they exist only to make the checks ambiguous).
#[derive(Debug)]
pub enum NeverApplies {}

mod sealed {
    /// Implemented by no type (and no type outside this crate can implement it).
    pub trait Never {}
}
use sealed::Never;

/// The stream a `#[for_await]` loop consumes by value.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a `Stream`",
    label = "not a `Stream`",
    note = "a `for await` loop consumes a `futures_core::Stream` (re-exported as `async_ext::Stream`)",
    note = "for an iterator or a collection, `futures::stream::iter(…)` makes a `Stream` of its items"
)]
pub trait LoopStream<Marker> {
    /// The stream itself.
    type Stream: Stream;
    /// Converts the expression into the stream (the identity).
    fn into_loop_stream(self) -> Self::Stream;
}

#[diagnostic::do_not_recommend]
impl<S: Stream> LoopStream<Checked> for S {
    type Stream = S;
    #[inline]
    fn into_loop_stream(self) -> S {
        self
    }
}

#[diagnostic::do_not_recommend]
impl<S: Never> LoopStream<NeverApplies> for S {
    type Stream = Unreachable;
    fn into_loop_stream(self) -> Unreachable {
        Unreachable(())
    }
}

/// The stream a `#[for_await] for x in &mut stream` loop consumes: the pointee of the `&mut`.
#[diagnostic::on_unimplemented(
    message = "`&mut {Self}` is not a `Stream`",
    label = "a `for await` loop over `&mut` needs a `Stream` that is `Unpin`: pin it first (`pin!`)",
    note = "`async` streams are not `Unpin`; pin the stream first and loop over the pinned \
            reference: `let mut s = core::pin::pin!(s);` then `for x in s.as_mut()`, or loop over \
            the stream by value if you do not need it after the loop",
    note = "for an iterator or a collection, `futures::stream::iter(…)` makes a `Stream` of its items"
)]
pub trait LoopStreamByMut<Marker> {
    /// `&mut Self` as a stream.
    type Stream<'a>: Stream
    where
        Self: 'a;
    /// The reference, unchanged.
    fn loop_stream(&mut self) -> Self::Stream<'_>;
}

#[diagnostic::do_not_recommend]
impl<S: Stream + Unpin + ?Sized> LoopStreamByMut<Checked> for S {
    type Stream<'a>
        = &'a mut S
    where
        S: 'a;
    #[inline]
    fn loop_stream(&mut self) -> &mut S {
        self
    }
}

#[diagnostic::do_not_recommend]
impl<S: Never + ?Sized> LoopStreamByMut<NeverApplies> for S {
    type Stream<'a>
        = Unreachable
    where
        S: 'a;
    fn loop_stream(&mut self) -> Unreachable {
        Unreachable(())
    }
}

/// The stream of the impls that never apply.
#[derive(Debug)]
pub struct Unreachable(());

impl Stream for Unreachable {
    type Item = core::convert::Infallible;
    fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready(None)
    }
}

/// `for x in EXPR`: the stream, checked.
#[inline]
pub fn loop_stream<S: LoopStream<M>, M>(stream: S) -> S::Stream {
    stream.into_loop_stream()
}

/// `for x in &mut EXPR`: the reference as a stream, checked.
#[inline]
pub fn loop_stream_by_mut<S: LoopStreamByMut<M> + ?Sized, M>(stream: &mut S) -> S::Stream<'_> {
    stream.loop_stream()
}

/// The future of the next item of a pinned stream (what `StreamExt::next` is, without
/// needing `futures-util`).
#[inline]
pub fn next<S: Stream + ?Sized>(stream: Pin<&mut S>) -> Next<'_, S> {
    Next { stream }
}

/// Future returned by [`next`].
#[derive(Debug)]
#[must_use = "futures do nothing unless awaited"]
pub struct Next<'a, S: ?Sized> {
    stream: Pin<&'a mut S>,
}

impl<S: Stream + ?Sized> Future for Next<'_, S> {
    type Output = Option<S::Item>;

    #[inline]
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.stream.as_mut().poll_next(cx)
    }
}
