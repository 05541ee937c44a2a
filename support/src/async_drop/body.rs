//! [`ScopeBody`]: the future that polls an `#[async_scope]` fn's body with panics caught and
//! graceful cancellation applied.
//!
//! It owns the body (`scope_body(async { … }).await`) rather than borrowing a pinned one: the
//! fn's future then holds no pointer to the body, one store less on every call. Its one
//! `unsafe` block is the structural pin projection to that field.

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use super::unwind::Outcome;
#[cfg(feature = "std")]
use super::unwind::catch_sync;

/// The scope's body, polled with panics caught; its output is the [`Outcome`] the epilogue
/// completes. Graceful cancellation ([`cancel_gracefully`](crate::cancel_gracefully)) also
/// acts here: when it is cancelling and the body is suspended without a nested scope below
/// it, the scope ends the body as if it had panicked with [`Cancelled`](crate::Cancelled)
/// (the body is dropped with this future, right after).
#[derive(Debug)]
#[must_use = "futures do nothing unless awaited"]
pub struct ScopeBody<F> {
    body: F,
}

/// Polls the body of a scope, catching a panic.
#[inline]
pub fn scope_body<F: Future>(body: F) -> ScopeBody<F> {
    ScopeBody { body }
}

impl<F: Future> Future for ScopeBody<F> {
    type Output = Outcome<F::Output>;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // SAFETY: structural pinning of the only field: `body` is never moved out of a pinned
        // `ScopeBody` (no method hands it out by value or by `&mut`, and there is no `Drop`
        // impl, so it is dropped in place), and `ScopeBody` is `Unpin` only when `F` is (the
        // auto impl).
        let mut body = unsafe { self.map_unchecked_mut(|this| &mut this.body) };
        #[cfg(feature = "std")]
        {
            super::cancel::enter_scope();
            let polled = catch_sync(|| body.as_mut().poll(cx));
            let nested = super::cancel::leave_scope();
            match polled {
                Ok(Poll::Ready(value)) => Poll::Ready(Outcome::Returned(value)),
                Err(payload) => Poll::Ready(Outcome::panicked(payload)),
                Ok(Poll::Pending) if !nested && super::cancel::is_cancelling() => {
                    Poll::Ready(Outcome::panicked(super::cancel::cancelled_payload()))
                }
                Ok(Poll::Pending) => Poll::Pending,
            }
        }
        #[cfg(not(feature = "std"))]
        body.as_mut().poll(cx).map(Outcome::Returned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::cell::Cell;
    use core::marker::PhantomPinned;
    use core::pin::pin;
    use core::ptr;
    use core::task::Waker;

    /// Pending on its first poll, then ready with whether it was polled at the same address
    /// both times; counts its drops and can panic on its second poll.
    struct Probe<'a> {
        seen: Option<*const Probe<'a>>,
        drops: &'a Cell<u32>,
        panics: bool,
        _pinned: PhantomPinned,
    }

    impl<'a> Probe<'a> {
        fn new(drops: &'a Cell<u32>, panics: bool) -> Self {
            Probe {
                seen: None,
                drops,
                panics,
                _pinned: PhantomPinned,
            }
        }
    }

    impl Future for Probe<'_> {
        type Output = bool;
        fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<bool> {
            // SAFETY: only a field of a `Copy` type is written; nothing is moved.
            let this = unsafe { self.get_unchecked_mut() };
            let here = ptr::from_ref::<Probe<'_>>(this);
            match this.seen {
                None => {
                    this.seen = Some(here);
                    Poll::Pending
                }
                Some(_) if this.panics => panic!("the body panicked"),
                Some(first) => Poll::Ready(first == here),
            }
        }
    }

    impl Drop for Probe<'_> {
        fn drop(&mut self) {
            self.drops.set(self.drops.get() + 1);
        }
    }

    fn returned<R>(polled: Poll<Outcome<R>>) -> R {
        match polled {
            Poll::Ready(outcome) => outcome.finish(),
            Poll::Pending => panic!("the body is still pending"),
        }
    }

    #[test]
    fn polls_the_body_in_place_and_drops_it_once() {
        let drops = Cell::new(0);
        let mut cx = Context::from_waker(Waker::noop());
        {
            let mut body = pin!(scope_body(Probe::new(&drops, false)));
            assert!(body.as_mut().poll(&mut cx).is_pending());
            assert!(returned(body.as_mut().poll(&mut cx)));
            assert_eq!(drops.get(), 0);
        }
        assert_eq!(drops.get(), 1);
    }

    #[test]
    fn a_body_dropped_while_pending_or_unpolled_is_dropped_once() {
        let drops = Cell::new(0);
        let mut cx = Context::from_waker(Waker::noop());
        {
            let mut body = pin!(scope_body(Probe::new(&drops, false)));
            assert!(body.as_mut().poll(&mut cx).is_pending());
        }
        assert_eq!(drops.get(), 1);
        drop(scope_body(Probe::new(&drops, false)));
        assert_eq!(drops.get(), 2);
    }

    #[cfg(feature = "std")]
    #[test]
    fn a_panicking_body_ends_as_panicked_and_is_dropped_once() {
        let drops = Cell::new(0);
        let mut cx = Context::from_waker(Waker::noop());
        {
            let mut body = pin!(scope_body(Probe::new(&drops, true)));
            assert!(body.as_mut().poll(&mut cx).is_pending());
            let Poll::Ready(outcome) = body.as_mut().poll(&mut cx) else {
                panic!("a panic ends the body")
            };
            let payload = std::panic::catch_unwind(core::panic::AssertUnwindSafe(|| {
                outcome.finish();
            }))
            .unwrap_err();
            assert_eq!(payload.downcast_ref::<&str>(), Some(&"the body panicked"));
            assert_eq!(drops.get(), 0);
        }
        assert_eq!(drops.get(), 1);
    }

    #[test]
    fn is_unpin_exactly_when_the_body_is() {
        fn unpin<T: Unpin>(_: &T) {}
        unpin(&scope_body(core::future::ready(1_u8)));
        // A `!Unpin` body (`Probe`) keeps `ScopeBody` `!Unpin`: it is only polled through
        // `pin!` above.
    }
}
