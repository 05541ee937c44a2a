//! Polling an `#[async_scope]` body and its clean-ups so that a panic is caught, every
//! clean-up still runs, and the first panic resumes at the end.
//!
//! With `std` a panic is caught with `catch_unwind`; without it panics cannot be caught
//! ([`Payload`] is uninhabited), so a panic leaves the fn's future to be dropped by its
//! executor, and its pending values get the cancellation fallback.

use core::future::{Future, poll_fn};
use core::pin::{Pin, pin};
use core::task::{Context, Poll};

/// What a caught panic carries: `Box<dyn Any + Send>` with `std`, nothing without it (the
/// type is then uninhabited, since nothing can be caught).
#[cfg(feature = "std")]
pub type Payload = alloc::boxed::Box<dyn core::any::Any + Send>;

/// What a caught panic carries: uninhabited without `std`, since nothing can be caught.
#[cfg(not(feature = "std"))]
#[derive(Debug)]
pub enum Payload {}

/// Runs `f`, catching a panic.
#[cfg(feature = "std")]
pub(super) fn catch_sync<R>(f: impl FnOnce() -> R) -> Result<R, Payload> {
    // Unwind safety: after a panic the scope only cleans its slots (each clean-up sees its own
    // value, as an ordinary `Drop` would) and then resumes the panic; nothing observes state
    // the panic left half-updated except what an ordinary unwind would let `Drop` see.
    std::panic::catch_unwind(core::panic::AssertUnwindSafe(f))
}

// Same signature as the `std` version; `Err` is uninhabited here.
#[cfg(not(feature = "std"))]
#[allow(clippy::unnecessary_wraps)]
pub(super) fn catch_sync<R>(f: impl FnOnce() -> R) -> Result<R, Payload> {
    Ok(f())
}

/// Keeps the first panic of a scope; later ones are dropped (as a panic during unwinding
/// would be, minus the abort). A graceful cancellation is not a failure: a real panic
/// replaces it, so a clean-up that panics while the scope is cancelled gracefully reaches
/// the caller of `cancel_gracefully` instead of being swallowed.
pub(super) fn record(first: &mut Option<Payload>, result: Result<(), Payload>) {
    if let Err(payload) = result {
        let replace = first
            .as_ref()
            .is_none_or(|kept| is_cancellation(kept) && !is_cancellation(&payload));
        if replace {
            *first = Some(payload);
        }
    }
}

/// The panic a scope resumes once its clean-up is done: the body's, else the first clean-up's
/// (a real panic wins over a graceful cancellation).
#[derive(Debug)]
pub struct Panic {
    first: Option<Payload>,
}

impl Panic {
    /// Keeps `result`'s panic if it is the one to resume.
    #[inline]
    pub(super) fn record(&mut self, result: Result<(), Payload>) {
        if result.is_err() {
            record(&mut self.first, result);
        }
    }
}

impl Drop for Panic {
    // Only reached with a payload when the scope's future is dropped during its clean-up;
    // out of line, so that the future's drop glue stays small enough to inline.
    #[inline]
    fn drop(&mut self) {
        if let Some(payload) = self.first.take() {
            drop_payload(payload);
        }
    }
}

#[cold]
#[inline(never)]
// Without `std` the payload is uninhabited, so there is nothing to drop.
#[cfg_attr(not(feature = "std"), allow(clippy::drop_non_drop))]
fn drop_payload(payload: Payload) {
    drop(payload);
}

#[cfg(feature = "std")]
fn is_cancellation(payload: &Payload) -> bool {
    payload.is::<super::cancel::Cancelled>()
}

#[cfg(not(feature = "std"))]
fn is_cancellation(payload: &Payload) -> bool {
    match *payload {}
}

/// The clean-up of a marked `let` running again (in a loop), awaited inside the body: polled
/// with panics caught (the outcome goes to `Rebind::finish`, which resumes a panic after
/// storing the new value), and marking the scope as active on every poll, so that
/// [`cancel_gracefully`](crate::cancel_gracefully) lets it finish instead of abandoning the
/// body in the middle of it.
pub async fn rebind_cleanup<F: Future<Output = ()>>(cleanup: F) -> Result<(), Payload> {
    let mut cleanup = pin!(cleanup);
    poll_fn(|cx| {
        #[cfg(feature = "std")]
        super::cancel::mark_scope_active();
        match catch_sync(|| cleanup.as_mut().poll(cx)) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(())) => Poll::Ready(Ok(())),
            Err(payload) => Poll::Ready(Err(payload)),
        }
    })
    .await
}

/// The scope's body, polled with panics caught. Graceful cancellation
/// ([`cancel_gracefully`](crate::cancel_gracefully)) also acts here: when it is cancelling and
/// the body is suspended without a nested scope below it, the body is abandoned (dropped) and
/// the scope cleans up as if it had panicked with [`Cancelled`](crate::Cancelled).
#[derive(Debug)]
#[must_use = "futures do nothing unless awaited"]
pub struct ScopeBody<'a, F: ?Sized> {
    body: Pin<&'a mut F>,
}

/// Polls the pinned body of a scope, catching a panic.
pub fn scope_body<F: Future + ?Sized>(body: Pin<&mut F>) -> ScopeBody<'_, F> {
    ScopeBody { body }
}

impl<F: Future + ?Sized> Future for ScopeBody<'_, F> {
    type Output = Result<F::Output, Payload>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let body = &mut self.get_mut().body;
        #[cfg(feature = "std")]
        {
            super::cancel::enter_scope();
            let polled = catch_sync(|| body.as_mut().poll(cx));
            let nested = super::cancel::leave_scope();
            match polled {
                Ok(Poll::Ready(value)) => Poll::Ready(Ok(value)),
                Err(payload) => Poll::Ready(Err(payload)),
                Ok(Poll::Pending) if !nested && super::cancel::is_cancelling() => {
                    Poll::Ready(Err(super::cancel::cancelled_payload()))
                }
                Ok(Poll::Pending) => Poll::Pending,
            }
        }
        #[cfg(not(feature = "std"))]
        body.as_mut().poll(cx).map(Ok)
    }
}

/// Splits the body's outcome into its value and the panic to resume after the clean-up.
#[inline]
pub fn split<R>(outcome: Result<R, Payload>) -> (Option<R>, Panic) {
    match outcome {
        Ok(value) => (Some(value), Panic { first: None }),
        Err(payload) => (
            None,
            Panic {
                first: Some(payload),
            },
        ),
    }
}

/// One clean-up of the epilogue (a value's `async_drop` or a deferred future), polled with
/// panics caught; the first panic of the scope is kept in `panic`. The future is pinned by the
/// caller (`cleanup(pin!(future), &mut panic).await`), so this is a plain struct, not one
/// more state machine around it.
#[derive(Debug)]
#[must_use = "futures do nothing unless awaited"]
pub struct Cleanup<'a, F: ?Sized> {
    cleanup: Pin<&'a mut F>,
    panic: &'a mut Panic,
}

/// Awaits one clean-up with panics caught (see [`Cleanup`]).
#[inline]
pub fn cleanup<'a, F: Future<Output = ()> + ?Sized>(
    cleanup: Pin<&'a mut F>,
    panic: &'a mut Panic,
) -> Cleanup<'a, F> {
    Cleanup { cleanup, panic }
}

impl<F: Future<Output = ()> + ?Sized> Future for Cleanup<'_, F> {
    type Output = ();

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        #[cfg(feature = "std")]
        super::cancel::mark_scope_active();
        match catch_sync(|| this.cleanup.as_mut().poll(cx)) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(())) => Poll::Ready(()),
            Err(payload) => {
                this.panic.record(Err(payload));
                Poll::Ready(())
            }
        }
    }
}

/// The end of a scope: resumes the first panic (the body's, else a clean-up's), or returns
/// the body's value.
#[inline]
pub fn finish<R>(value: Option<R>, mut panic: Panic) -> R {
    match (value, panic.first.take()) {
        (_, Some(payload)) => resume(payload),
        (Some(value), None) => value,
        (None, None) => unreachable!("an `#[async_scope]` body ended without a value or a panic"),
    }
}

#[cfg(feature = "std")]
pub(super) fn resume(payload: Payload) -> ! {
    std::panic::resume_unwind(payload)
}

#[cfg(not(feature = "std"))]
pub(super) fn resume(payload: Payload) -> ! {
    match payload {}
}
