//! The value `async_closure!` expands to after reporting an error, so that code using the
//! closure adds no errors of its own: it implements every `AsyncFn*` trait for any arguments.

use core::convert::Infallible;
use core::future::{Pending, pending};

use super::{AsyncFn, AsyncFnMut, AsyncFnMutSend, AsyncFnOnce, AsyncFnOnceSend, AsyncFnSend};

/// Stands in for a closure whose `async_closure!` call had an error; never runs.
#[derive(Debug, Clone, Copy)]
pub struct ErrorClosure;

impl<Args> AsyncFnOnce<Args> for ErrorClosure {
    type Output = Infallible;
    type CallOnceFuture = Pending<Infallible>;

    fn call_once(self, _: Args) -> Self::CallOnceFuture {
        pending()
    }
}

impl<Args> AsyncFnMut<Args> for ErrorClosure {
    type CallRefFuture<'a> = Pending<Infallible>;

    fn call_mut(&mut self, _: Args) -> Self::CallRefFuture<'_> {
        pending()
    }
}

impl<Args> AsyncFn<Args> for ErrorClosure {
    fn call(&self, _: Args) -> Self::CallRefFuture<'_> {
        pending()
    }
}

impl<Args> AsyncFnOnceSend<Args> for ErrorClosure {
    type CallOnceSendFuture = Pending<Infallible>;

    fn call_once_send(self, _: Args) -> Self::CallOnceSendFuture {
        pending()
    }
}

impl<Args> AsyncFnMutSend<Args> for ErrorClosure {
    type CallRefSendFuture<'a> = Pending<Infallible>;

    fn call_mut_send(&mut self, _: Args) -> Self::CallRefSendFuture<'_> {
        pending()
    }
}

impl<Args> AsyncFnSend<Args> for ErrorClosure {
    fn call_send(&self, _: Args) -> Self::CallRefSendFuture<'_> {
        pending()
    }
}
