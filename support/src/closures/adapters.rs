//! `as_fn`: an async closure as the plain `Fn(A) -> impl Future` that stream and future
//! combinators take (`StreamExt::then`, `for_each`, `filter_map`, …).

use super::{AsyncFn, AsyncFnMut, AsyncFnMutSend, AsyncFnSend};

/// Adapters from an async closure of one argument to the plain closure shape combinators
/// take: `stream.then(closure.as_fn())`.
///
/// Combinators such as `StreamExt::then` take an `FnMut(Item) -> impl Future`, which an
/// `async_closure!` is not (it lends its state to each call). `as_fn` borrows the closure and
/// returns `move |item| closure.call((item,))`: each future borrows the closure's state, so
/// the closure must outlive the stream that uses it, and it must be an [`AsyncFn`] (calls
/// through `&self` may overlap: `buffered` combinators run several at once).
///
/// ```
/// use async_ext::{async_closure, AsyncFnExt};
/// use futures::StreamExt;
///
/// # futures::executor::block_on(async {
/// let scale = async_closure!({ let factor = 10u32; } async |x: u32| -> u32 { x * factor });
/// let scaled: Vec<u32> = futures::stream::iter([1, 2, 3]).then(scale.as_fn()).collect().await;
/// assert_eq!(scaled, [10, 20, 30]);
/// # });
/// ```
///
/// A closure with a `let mut` capture is only an `AsyncFnMut`: its calls must not overlap,
/// which a plain `FnMut` returning a future cannot promise, so it has no `as_fn`; drive it with
/// a loop instead (`while let Some(x) = stream.next().await { f.call_mut((x,)).await }`, or
/// `#[for_await]`). For more than one argument, write the plain closure yourself:
/// `|acc, x| f.call((acc, x))`.
pub trait AsyncFnExt<A>: AsyncFnMut<(A,)> {
    /// The closure as a plain `Fn(A) -> Self::CallRefFuture<'_>`, borrowing it.
    fn as_fn<'s>(
        &'s self,
    ) -> impl Fn(A) -> <Self as AsyncFnMut<(A,)>>::CallRefFuture<'s> + Copy + 's
    where
        // Quoted by rustc when `as_fn` is called on a closure with a `let mut` capture:
        Self: AsyncFn<(A,)>, // calls may overlap; a `let mut` closure: loop with `call_mut`
    {
        move |argument| self.call((argument,))
    }

    /// Like [`as_fn`](AsyncFnExt::as_fn), returning the calls' `Send` futures, for a stream
    /// that generic code spawns (`F: AsyncFnSend<(A,)>`).
    fn as_fn_send<'s>(
        &'s self,
    ) -> impl Fn(A) -> <Self as AsyncFnMutSend<(A,)>>::CallRefSendFuture<'s> + Copy + 's
    where
        Self: AsyncFnSend<(A,)>,
    {
        move |argument| self.call_send((argument,))
    }
}

impl<F: AsyncFnMut<(A,)> + ?Sized, A> AsyncFnExt<A> for F {}
