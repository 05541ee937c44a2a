//! The value `async_closure!` expands to after reporting an error, so that code using the
//! closure adds no errors of its own: it implements every `AsyncFn*` trait for any arguments,
//! with the output the closure declared (`-> O`), or `Infallible` when none is known.

use core::convert::Infallible;
use core::fmt;
use core::future::{Pending, pending};
use core::marker::PhantomData;

use super::{AsyncFn, AsyncFnMut, AsyncFnMutSend, AsyncFnOnce, AsyncFnOnceSend, AsyncFnSend};

/// Stands in for a closure whose `async_closure!` call had an error; never runs.
///
/// `O` is the declared output, so `let s: String = closure.call(..).await` after the error
/// type-checks and the user sees only the macro's error.
pub struct ErrorClosure<O = Infallible>(PhantomData<fn() -> O>);

impl<O> ErrorClosure<O> {
    /// The stand-in.
    #[must_use]
    pub const fn new() -> Self {
        ErrorClosure(PhantomData)
    }
}

impl<O> Default for ErrorClosure<O> {
    fn default() -> Self {
        Self::new()
    }
}

impl<O> Clone for ErrorClosure<O> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<O> Copy for ErrorClosure<O> {}

impl<O> fmt::Debug for ErrorClosure<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ErrorClosure")
    }
}

impl<Args, O> AsyncFnOnce<Args> for ErrorClosure<O> {
    type Output = O;
    type CallOnceFuture = Pending<O>;

    fn call_once(self, _: Args) -> Self::CallOnceFuture {
        pending()
    }
}

impl<Args, O> AsyncFnMut<Args> for ErrorClosure<O> {
    type CallRefFuture<'a>
        = Pending<O>
    where
        Self: 'a;

    fn call_mut(&mut self, _: Args) -> Self::CallRefFuture<'_> {
        pending()
    }
}

impl<Args, O> AsyncFn<Args> for ErrorClosure<O> {
    fn call(&self, _: Args) -> Self::CallRefFuture<'_> {
        pending()
    }
}

impl<Args, O> AsyncFnOnceSend<Args> for ErrorClosure<O> {
    type CallOnceSendFuture = Pending<O>;

    fn call_once_send(self, _: Args) -> Self::CallOnceSendFuture {
        pending()
    }
}

impl<Args, O> AsyncFnMutSend<Args> for ErrorClosure<O> {
    type CallRefSendFuture<'a>
        = Pending<O>
    where
        Self: 'a;

    fn call_mut_send(&mut self, _: Args) -> Self::CallRefSendFuture<'_> {
        pending()
    }
}

impl<Args, O> AsyncFnSend<Args> for ErrorClosure<O> {
    fn call_send(&self, _: Args) -> Self::CallRefSendFuture<'_> {
        pending()
    }
}
