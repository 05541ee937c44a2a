//! The dyn-compatible forms: `Box<dyn DynAsyncFnMut<Args, Output> + Send + 'a>` erases each
//! call's future into the inline storage the trait companion uses too (no allocation when it
//! fits in 128 bytes, one `Box` otherwise) and implements the static traits again, so it can
//! be passed wherever an `AsyncFnMut` is expected.

use alloc::boxed::Box;

use super::{AsyncFn, AsyncFnMut, AsyncFnMutSend, AsyncFnOnce, AsyncFnOnceSend, AsyncFnSend};
use crate::inline_future::SendInlineFuture;

/// The future of a call through a `dyn` closure: the closure's own future with its type
/// erased, stored inline when it fits in 128 bytes (alignment at most 16), so the call
/// allocates nothing, and boxed (one allocation) when it does not.
///
/// It is `Send`, not `Sync`, and not `Unpin` (as the closure's own future): `.await` it, or
/// pin it (`pin!`, `Box::pin`) to poll it by hand or to `select!` on it.
pub type DynCallFuture<'a, O> = SendInlineFuture<'a, O>;

/// The dyn-compatible form of [`AsyncFnOnceSend`]: `Box<dyn DynAsyncFnOnce<Args, O> + Send>`
/// implements [`AsyncFnOnce`] and [`AsyncFnOnceSend`].
///
/// Implemented for every `F: AsyncFnOnceSend<Args, Output = O>`: the futures of a `dyn`
/// closure are `Send`, so a boxed closure can always be spawned.
pub trait DynAsyncFnOnce<Args, O> {
    /// Calls the boxed closure once; the future is stored inline when it fits.
    fn dyn_call_once<'a>(self: Box<Self>, args: Args) -> DynCallFuture<'a, O>
    where
        Self: 'a,
        Args: 'a;
}

/// The dyn-compatible form of [`AsyncFnMutSend`]: `Box<dyn DynAsyncFnMut<Args, O> + Send>`
/// implements [`AsyncFnMut`], [`AsyncFnMutSend`] and the once traits.
pub trait DynAsyncFnMut<Args, O>: DynAsyncFnOnce<Args, O> {
    /// Calls the closure through `&mut self`; the future is stored inline when it fits and
    /// may borrow the closure.
    fn dyn_call_mut<'s>(&'s mut self, args: Args) -> DynCallFuture<'s, O>
    where
        Args: 's;
}

/// The dyn-compatible form of [`AsyncFnSend`]: `Box<dyn DynAsyncFn<Args, O> + Send>`
/// implements [`AsyncFn`], [`AsyncFnSend`] and the mut and once traits.
pub trait DynAsyncFn<Args, O>: DynAsyncFnMut<Args, O> {
    /// Calls the closure through `&self`; the future is stored inline when it fits and may
    /// borrow the closure.
    fn dyn_call<'s>(&'s self, args: Args) -> DynCallFuture<'s, O>
    where
        Args: 's;
}

impl<F, Args, O> DynAsyncFnOnce<Args, O> for F
where
    F: AsyncFnOnceSend<Args, Output = O>,
{
    fn dyn_call_once<'a>(self: Box<Self>, args: Args) -> DynCallFuture<'a, O>
    where
        Self: 'a,
        Args: 'a,
    {
        SendInlineFuture::new((*self).call_once_send(args))
    }
}

impl<F, Args, O> DynAsyncFnMut<Args, O> for F
where
    F: AsyncFnMutSend<Args, Output = O>,
{
    fn dyn_call_mut<'s>(&'s mut self, args: Args) -> DynCallFuture<'s, O>
    where
        Args: 's,
    {
        SendInlineFuture::new(self.call_mut_send(args))
    }
}

impl<F, Args, O> DynAsyncFn<Args, O> for F
where
    F: AsyncFnSend<Args, Output = O>,
{
    fn dyn_call<'s>(&'s self, args: Args) -> DynCallFuture<'s, O>
    where
        Args: 's,
    {
        SendInlineFuture::new(self.call_send(args))
    }
}

// The static traits for the boxes, for each auto-trait combination a user writes.
// `Args: 'a, O: 'a` are needed by `call_once`, whose future owns the box and the arguments
// for 'a.
macro_rules! impl_static_traits_for_box {
    (@mut $trait:ident $($auto:tt)*) => {
        impl<'a, Args: 'a, O: 'a> AsyncFnOnce<Args> for Box<dyn $trait<Args, O> $($auto)* + 'a> {
            type Output = O;
            type CallOnceFuture = DynCallFuture<'a, O>;

            fn call_once(self, args: Args) -> Self::CallOnceFuture {
                self.dyn_call_once(args)
            }
        }

        impl<'a, Args: 'a, O: 'a> AsyncFnOnceSend<Args> for Box<dyn $trait<Args, O> $($auto)* + 'a> {
            type CallOnceSendFuture = DynCallFuture<'a, O>;

            fn call_once_send(self, args: Args) -> Self::CallOnceSendFuture {
                self.dyn_call_once(args)
            }
        }

        impl<'a, Args: 'a, O: 'a> AsyncFnMut<Args> for Box<dyn $trait<Args, O> $($auto)* + 'a> {
            type CallRefFuture<'s>
                = DynCallFuture<'s, O>
            where
                Self: 's;

            fn call_mut(&mut self, args: Args) -> Self::CallRefFuture<'_> {
                (**self).dyn_call_mut(args)
            }
        }

        impl<'a, Args: 'a, O: 'a> AsyncFnMutSend<Args> for Box<dyn $trait<Args, O> $($auto)* + 'a> {
            type CallRefSendFuture<'s>
                = DynCallFuture<'s, O>
            where
                Self: 's;

            fn call_mut_send(&mut self, args: Args) -> Self::CallRefSendFuture<'_> {
                (**self).dyn_call_mut(args)
            }
        }
    };
    ($($auto:tt)*) => {
        impl<'a, Args: 'a, O: 'a> AsyncFnOnce<Args> for Box<dyn DynAsyncFnOnce<Args, O> $($auto)* + 'a> {
            type Output = O;
            type CallOnceFuture = DynCallFuture<'a, O>;

            fn call_once(self, args: Args) -> Self::CallOnceFuture {
                self.dyn_call_once(args)
            }
        }

        impl<'a, Args: 'a, O: 'a> AsyncFnOnceSend<Args> for Box<dyn DynAsyncFnOnce<Args, O> $($auto)* + 'a> {
            type CallOnceSendFuture = DynCallFuture<'a, O>;

            fn call_once_send(self, args: Args) -> Self::CallOnceSendFuture {
                self.dyn_call_once(args)
            }
        }

        impl_static_traits_for_box!(@mut DynAsyncFnMut $($auto)*);
        impl_static_traits_for_box!(@mut DynAsyncFn $($auto)*);

        impl<'a, Args: 'a, O: 'a> AsyncFn<Args> for Box<dyn DynAsyncFn<Args, O> $($auto)* + 'a> {
            fn call(&self, args: Args) -> Self::CallRefFuture<'_> {
                (**self).dyn_call(args)
            }
        }

        impl<'a, Args: 'a, O: 'a> AsyncFnSend<Args> for Box<dyn DynAsyncFn<Args, O> $($auto)* + 'a> {
            fn call_send(&self, args: Args) -> Self::CallRefSendFuture<'_> {
                (**self).dyn_call(args)
            }
        }
    };
}

impl_static_traits_for_box!();
impl_static_traits_for_box!(+ Send);
impl_static_traits_for_box!(+ Send + Sync);
