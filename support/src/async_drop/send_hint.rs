//! [`NeedsAsyncDropSend`]: the clean-up future of a value whose type is only known to
//! implement `AsyncDrop`, under a name that says what is missing when it makes an
//! `#[async_scope]` fn's future not `Send`.
//!
//! Its one `unsafe` block is the usual structural pin projection of a wrapper.

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

/// The clean-up future of an `#[async_drop]` value whose type is only known to implement
/// [`AsyncDrop`](crate::AsyncDrop), as an `#[async_scope]` fn awaits it. It is `Send` exactly
/// when the clean-up future is.
///
/// You meet it in one error: "future cannot be sent between threads safely … has type
/// `NeedsAsyncDropSend<impl Future<Output = ()>>` which is not `Send`", when a generic
/// `#[async_scope]` fn bounded by `T: AsyncDrop + Send` is spawned. `T: Send` says nothing
/// about the future `async_drop` returns; bound the parameter with
/// [`AsyncDropSend`](crate::AsyncDropSend) instead (`T: AsyncDropSend + Send`), and the scope
/// awaits `async_drop_send`, whose future is `Send`.
#[derive(Debug)]
#[must_use = "futures do nothing unless awaited"]
pub struct NeedsAsyncDropSend<F> {
    cleanup: F,
}

impl<F> NeedsAsyncDropSend<F> {
    pub(super) fn new(cleanup: F) -> Self {
        NeedsAsyncDropSend { cleanup }
    }
}

impl<F: Future> Future for NeedsAsyncDropSend<F> {
    type Output = F::Output;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        // SAFETY: structural pinning of the only field: `cleanup` is never moved out of a
        // pinned `NeedsAsyncDropSend` (no method hands it out by value or by `&mut`, and there
        // is no `Drop` impl), and the wrapper is `Unpin` only when `F` is (the auto impl).
        let cleanup = unsafe { self.map_unchecked_mut(|this| &mut this.cleanup) };
        cleanup.poll(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::marker::PhantomPinned;
    use core::pin::pin;
    use core::ptr;

    /// Records the address it is polled at, twice, pending in between: a move between polls
    /// would show as two addresses.
    struct AddressProbe {
        seen: Option<*const AddressProbe>,
        _pinned: PhantomPinned,
    }

    impl Future for AddressProbe {
        type Output = bool;
        fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<bool> {
            // SAFETY: only a field of a `Copy` type is written; nothing is moved.
            let this = unsafe { self.get_unchecked_mut() };
            let here = ptr::from_ref::<AddressProbe>(this);
            match this.seen {
                None => {
                    this.seen = Some(here);
                    Poll::Pending
                }
                Some(first) => Poll::Ready(first == here),
            }
        }
    }

    #[test]
    fn polls_the_wrapped_future_in_place() {
        let probe = AddressProbe {
            seen: None,
            _pinned: PhantomPinned,
        };
        let mut wrapped = pin!(NeedsAsyncDropSend::new(probe));
        let mut cx = Context::from_waker(core::task::Waker::noop());
        assert_eq!(wrapped.as_mut().poll(&mut cx), Poll::Pending);
        assert_eq!(wrapped.as_mut().poll(&mut cx), Poll::Ready(true));
    }

    #[test]
    fn is_send_and_unpin_exactly_when_the_future_is() {
        fn send<T: Send>(_: &T) {}
        fn unpin<T: Unpin>(_: &T) {}
        let ready = NeedsAsyncDropSend::new(core::future::ready(1_u8));
        send(&ready);
        unpin(&ready);
        // `!Send` and `!Unpin` futures stay so (checked by the compiler in the scope tests
        // and the UI case `generic_scope_spawned_without_send_bound`).
    }
}
