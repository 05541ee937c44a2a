//! Runtime of `for await` loops: the check that the looped expression is a stream, and the
//! next-item future the rewritten loop awaits.

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use futures_core::Stream;

/// Wraps the loop's stream expression; [`ForAwait::into_stream`] exists only for streams.
///
/// A method call that does not resolve gives rustc an error type, so a loop over something
/// that is not a stream reports exactly one error, at the user's expression, and nothing after
/// it reports the same mistake again (a bound on a function would be re-checked at every use).
#[derive(Debug)]
pub struct ForAwait<S>(pub S);

impl<S: Stream> ForAwait<S> {
    /// The stream, unchanged.
    #[inline]
    pub fn into_stream(self) -> S {
        self.0
    }
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
