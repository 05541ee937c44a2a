//! Runtime of `for await` loops: the `next()` future the rewritten loop awaits, and the
//! bound that turns "not a stream" into an error that says so.

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use futures_core::Stream;

/// Implemented by every [`Stream`]; it exists so that a `#[for_await]` loop over something
/// else gets an error that names the loop instead of a bare trait bound.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a stream, so `for await` cannot loop over it",
    label = "this is not a `futures_core::Stream`",
    note = "`for await` takes a `Stream` by value or as `&mut` (an `Unpin` one); for an \
            iterator, use a plain `for` loop"
)]
pub trait ForAwaitStream: Stream {}

impl<S: Stream + ?Sized> ForAwaitStream for S {}

/// Passes the loop's stream through unchanged; the bound puts the error at the expression.
#[inline(always)]
pub fn for_await_stream<S: ForAwaitStream>(stream: S) -> S {
    stream
}

/// The future of the next item of a pinned stream (what `StreamExt::next` is, without
/// needing `futures-util`).
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
