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

/// How an `#[async_scope]` body ended, and then its clean-up: the body's value, or the panic
/// the scope resumes at the end (the body's, else the first clean-up's; a real panic wins
/// over a graceful cancellation).
///
/// One enum, so that the end of the scope tests one discriminant (two `Option`s, one for the
/// value and one for the panic, cost a second test on every call), and with the panic in one
/// variant only, so that the drop glue of the fn's future stays small enough to inline.
#[derive(Debug)]
pub enum Outcome<R> {
    /// The body returned this value, and no clean-up panicked so far.
    Returned(R),
    /// The body panicked (or was cancelled gracefully): no value; or the body returned a value
    /// and then a clean-up panicked: the value is dropped while the panic resumes, after every
    /// clean-up.
    Panicked(Option<R>, Panic),
}

impl<R> Outcome<R> {
    /// The body panicked with `payload`.
    #[cfg(feature = "std")]
    pub(super) fn panicked(payload: Payload) -> Self {
        Outcome::Panicked(None, Panic(Some(payload)))
    }

    /// Keeps `result`'s panic if it is the one to resume.
    #[inline]
    pub fn record(&mut self, result: Result<(), Payload>) {
        if let Err(payload) = result {
            self.record_panic(payload);
        }
    }

    // Out of line and cold: on the normal path the scope only tests the result. (Without
    // `std` no panic is caught, so this is never reached.)
    #[cold]
    #[inline(never)]
    #[cfg_attr(not(feature = "std"), allow(unreachable_code))]
    fn record_panic(&mut self, payload: Payload) {
        match self {
            Outcome::Returned(_) => {
                let Outcome::Returned(value) =
                    core::mem::replace(self, Outcome::Panicked(None, Panic(None)))
                else {
                    unreachable!("the outcome changed in between")
                };
                *self = Outcome::Panicked(Some(value), Panic(Some(payload)));
            }
            Outcome::Panicked(_, kept) => record(&mut kept.0, Err(payload)),
        }
    }

    /// The end of a scope: returns the body's value, or resumes the panic.
    #[inline]
    pub fn finish(self) -> R {
        match self {
            Outcome::Returned(value) => value,
            Outcome::Panicked(value, panic) => panic.resume(value),
        }
    }
}

/// A caught panic, kept until its scope resumes it. Its drop (only reached when the scope's
/// future is dropped during its clean-up) is out of line, so that the drop glue of the fn's
/// future stays small enough to inline, where the compiler sees that it does nothing.
#[derive(Debug)]
pub struct Panic(Option<Payload>);

impl Panic {
    /// Resumes the panic; `value`, the body's, is dropped during the unwind.
    #[cold]
    #[inline(never)]
    fn resume<R>(mut self, value: Option<R>) -> ! {
        let _value = value;
        match self.0.take() {
            Some(payload) => resume(payload),
            None => unreachable!("an `#[async_scope]` ended without a value or a panic"),
        }
    }
}

impl Drop for Panic {
    #[inline]
    fn drop(&mut self) {
        if let Some(payload) = self.0.take() {
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

/// One clean-up of the epilogue (a value's `async_drop` or a deferred future), polled with
/// panics caught; the scope records its outcome (`outcome.record(cleanup(pin!(future)).await)`).
/// The future is pinned by the caller, so this is a plain struct, not one more state machine
/// around it.
#[derive(Debug)]
#[must_use = "futures do nothing unless awaited"]
pub struct Cleanup<'a, F: ?Sized> {
    cleanup: Pin<&'a mut F>,
}

/// Awaits one clean-up with panics caught (see [`Cleanup`]).
#[inline]
pub fn cleanup<F: Future<Output = ()> + ?Sized>(cleanup: Pin<&mut F>) -> Cleanup<'_, F> {
    Cleanup { cleanup }
}

impl<F: Future<Output = ()> + ?Sized> Future for Cleanup<'_, F> {
    type Output = Result<(), Payload>;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Payload>> {
        let cleanup = &mut self.get_mut().cleanup;
        #[cfg(feature = "std")]
        super::cancel::mark_scope_active();
        match catch_sync(|| cleanup.as_mut().poll(cx)) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(())) => Poll::Ready(Ok(())),
            Err(payload) => Poll::Ready(Err(payload)),
        }
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
