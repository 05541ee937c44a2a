//! The closure types `async_closure!` builds, and their trait impls.
//!
//! A macro-made closure is its state (the capture block's values, as a tuple), the user's body
//! as a native async closure taking the state by reference (`&S` or `&mut S`), and a
//! trampoline taking `(state, body)` by value for `call_once`. The body captures nothing of
//! its own (at most references to outer locals), so it is a plain `Fn` returning a future that
//! borrows only its arguments, and [`BodyFn`] can name that future: it becomes
//! `CallRefFuture<'a>`, with no box and no allocation. The trampoline's future owns the state
//! and awaits the body on it, so `call_once` is unboxed too.

use core::fmt;
use core::future::Future;

use super::{AsyncFn, AsyncFnMut, AsyncFnMutSend, AsyncFnOnce, AsyncFnOnceSend, AsyncFnSend};

/// Names the future of a body closure called with the state `S` (the whole `&'s S`,
/// `&'s mut S` or `S` type, never `S` with a separate lifetime parameter: a helper declared as
/// `Body<'s, S: 's>` would force `S: 'static` under `for<'s>`) and the argument tuple `Args`.
///
/// Implemented for every `Fn(S, A1, …, An) -> impl Future`, arities 0 to 12.
pub trait BodyFn<S, Args> {
    /// The body's future.
    type Future: Future;
    /// Calls the body with the state and the unpacked arguments.
    fn call_body(&self, state: S, args: Args) -> Self::Future;
}

/// [`BodyFn`] for the by-value body, called once: every `FnOnce(S, A1, …, An) -> impl Future`.
pub trait BodyFnOnce<S, Args> {
    /// The body's future.
    type Future: Future;
    /// Calls the body with the state and the unpacked arguments.
    fn call_body_once(self, state: S, args: Args) -> Self::Future;
}

/// An `async_closure!` without `let mut` captures: implements [`AsyncFn`], [`AsyncFnMut`] and
/// [`AsyncFnOnce`], and their `…Send` forms when its futures are `Send`.
///
/// It is not a plain `FnMut`: where a combinator asks for one (`StreamExt::then`, `map`,
/// `for_each`), pass [`closure.as_fn()`](crate::AsyncFnExt::as_fn).
///
/// `S` is the tuple of captured values, `B` the body (taking the state by reference) and `BO`
/// the trampoline that owns the state and calls `B` on it, for `call_once`.
// `Clone` and `Copy` when the captures are, as for a native closure (the bodies capture at
// most references to outer locals, so they are `Copy`).
#[derive(Clone, Copy)]
pub struct AsyncClosure<S, B, BO> {
    state: S,
    body: B,
    body_once: BO,
}

/// An `async_closure!` with at least one `let mut` capture: implements [`AsyncFnMut`] and
/// [`AsyncFnOnce`], and their `…Send` forms when its futures are `Send`.
// `Clone` and `Copy` when the captures are, as for a native closure (the bodies capture at
// most references to outer locals, so they are `Copy`).
#[derive(Clone, Copy)]
pub struct AsyncClosureMut<S, B, BO> {
    state: S,
    body: B,
    body_once: BO,
}

/// An `async_closure!(once …)`: implements only [`AsyncFnOnce`] (and [`AsyncFnOnceSend`] when
/// its future is `Send`); the body may move captures out.
// `Clone` and `Copy` when the captures are, as for a native closure (the bodies capture at
// most references to outer locals, so they are `Copy`).
#[derive(Clone, Copy)]
pub struct AsyncClosureOnce<S, BO> {
    state: S,
    body_once: BO,
}

impl<S, B, BO> AsyncClosure<S, B, BO> {
    pub(super) fn new(state: S, body: B, body_once: BO) -> Self {
        AsyncClosure {
            state,
            body,
            body_once,
        }
    }
}

impl<S, B, BO> AsyncClosureMut<S, B, BO> {
    pub(super) fn new(state: S, body: B, body_once: BO) -> Self {
        AsyncClosureMut {
            state,
            body,
            body_once,
        }
    }
}

impl<S, BO> AsyncClosureOnce<S, BO> {
    pub(super) fn new(state: S, body_once: BO) -> Self {
        AsyncClosureOnce { state, body_once }
    }
}

// The captured values are the user's; the bodies are closures. Printing the state would
// need `S: Debug`, which a closure value should not demand.
impl<S, B, BO> fmt::Debug for AsyncClosure<S, B, BO> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncClosure").finish_non_exhaustive()
    }
}

impl<S, B, BO> fmt::Debug for AsyncClosureMut<S, B, BO> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncClosureMut").finish_non_exhaustive()
    }
}

impl<S, BO> fmt::Debug for AsyncClosureOnce<S, BO> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncClosureOnce").finish_non_exhaustive()
    }
}

// `call_once` of every kind, unboxed: `BO` gets the state by value (with the by-reference body
// for the two borrowing kinds, which it calls on that owned state).
macro_rules! impl_call_once {
    ($name:ident < $($param:ident),* >, $input:ty, |$this:ident| $value:expr) => {
        impl<$($param,)* Args, O> AsyncFnOnce<Args> for $name<$($param),*>
        where
            BO: BodyFnOnce<$input, Args, Future: Future<Output = O>>,
        {
            type Output = O;
            type CallOnceFuture = BO::Future;

            fn call_once(self, args: Args) -> Self::CallOnceFuture {
                let $this = self;
                $this.body_once.call_body_once($value, args)
            }
        }

        impl<$($param,)* Args, O> AsyncFnOnceSend<Args> for $name<$($param),*>
        where
            BO: BodyFnOnce<$input, Args, Future: Future<Output = O> + Send>,
        {
            type CallOnceSendFuture = BO::Future;

            fn call_once_send(self, args: Args) -> Self::CallOnceSendFuture {
                let $this = self;
                $this.body_once.call_body_once($value, args)
            }
        }
    };
}

impl_call_once!(AsyncClosure<S, B, BO>, (S, B), |this| (this.state, this.body));
impl_call_once!(AsyncClosureMut<S, B, BO>, (S, B), |this| (this.state, this.body));
impl_call_once!(AsyncClosureOnce<S, BO>, S, |this| this.state);

impl<S, B, BO, Args, O> AsyncFnMut<Args> for AsyncClosure<S, B, BO>
where
    BO: BodyFnOnce<(S, B), Args, Future: Future<Output = O>>,
    B: for<'s> BodyFn<&'s S, Args, Future: Future<Output = O>>,
{
    type CallRefFuture<'a>
        = <B as BodyFn<&'a S, Args>>::Future
    where
        Self: 'a;

    fn call_mut(&mut self, args: Args) -> Self::CallRefFuture<'_> {
        self.body.call_body(&self.state, args)
    }
}

impl<S, B, BO, Args, O> AsyncFn<Args> for AsyncClosure<S, B, BO>
where
    BO: BodyFnOnce<(S, B), Args, Future: Future<Output = O>>,
    B: for<'s> BodyFn<&'s S, Args, Future: Future<Output = O>>,
{
    fn call(&self, args: Args) -> Self::CallRefFuture<'_> {
        self.body.call_body(&self.state, args)
    }
}

impl<S, B, BO, Args, O> AsyncFnMutSend<Args> for AsyncClosure<S, B, BO>
where
    BO: BodyFnOnce<(S, B), Args, Future: Future<Output = O> + Send>,
    B: for<'s> BodyFn<&'s S, Args, Future: Future<Output = O> + Send>,
{
    type CallRefSendFuture<'a>
        = <B as BodyFn<&'a S, Args>>::Future
    where
        Self: 'a;

    fn call_mut_send(&mut self, args: Args) -> Self::CallRefSendFuture<'_> {
        self.body.call_body(&self.state, args)
    }
}

impl<S, B, BO, Args, O> AsyncFnSend<Args> for AsyncClosure<S, B, BO>
where
    BO: BodyFnOnce<(S, B), Args, Future: Future<Output = O> + Send>,
    B: for<'s> BodyFn<&'s S, Args, Future: Future<Output = O> + Send>,
{
    fn call_send(&self, args: Args) -> Self::CallRefSendFuture<'_> {
        self.body.call_body(&self.state, args)
    }
}

impl<S, B, BO, Args, O> AsyncFnMut<Args> for AsyncClosureMut<S, B, BO>
where
    BO: BodyFnOnce<(S, B), Args, Future: Future<Output = O>>,
    B: for<'s> BodyFn<&'s mut S, Args, Future: Future<Output = O>>,
{
    type CallRefFuture<'a>
        = <B as BodyFn<&'a mut S, Args>>::Future
    where
        Self: 'a;

    fn call_mut(&mut self, args: Args) -> Self::CallRefFuture<'_> {
        self.body.call_body(&mut self.state, args)
    }
}

impl<S, B, BO, Args, O> AsyncFnMutSend<Args> for AsyncClosureMut<S, B, BO>
where
    BO: BodyFnOnce<(S, B), Args, Future: Future<Output = O> + Send>,
    B: for<'s> BodyFn<&'s mut S, Args, Future: Future<Output = O> + Send>,
{
    type CallRefSendFuture<'a>
        = <B as BodyFn<&'a mut S, Args>>::Future
    where
        Self: 'a;

    fn call_mut_send(&mut self, args: Args) -> Self::CallRefSendFuture<'_> {
        self.body.call_body(&mut self.state, args)
    }
}

// `&closure` and `&mut closure` are closures too, as for native async closures: generic code
// taking `F: AsyncFnMut<Args>` by value can be given `&mut closure` and the caller keeps it.
// Written per type (not for every `&mut F`), which would overlap the blanket impls for plain
// closures.
macro_rules! impl_by_mut_reference {
    ($name:ident < $($param:ident),* >) => {
        impl<'r, $($param,)* Args> AsyncFnOnce<Args> for &'r mut $name<$($param),*>
        where
            $name<$($param),*>: AsyncFnMut<Args>,
        {
            type Output = <$name<$($param),*> as AsyncFnOnce<Args>>::Output;
            type CallOnceFuture = <$name<$($param),*> as AsyncFnMut<Args>>::CallRefFuture<'r>;

            fn call_once(self, args: Args) -> Self::CallOnceFuture {
                self.call_mut(args)
            }
        }

        impl<'r, $($param,)* Args> AsyncFnMut<Args> for &'r mut $name<$($param),*>
        where
            $name<$($param),*>: AsyncFnMut<Args>,
        {
            type CallRefFuture<'a>
                = <$name<$($param),*> as AsyncFnMut<Args>>::CallRefFuture<'a>
            where
                Self: 'a;

            fn call_mut(&mut self, args: Args) -> Self::CallRefFuture<'_> {
                (**self).call_mut(args)
            }
        }

        impl<'r, $($param,)* Args> AsyncFnOnceSend<Args> for &'r mut $name<$($param),*>
        where
            $name<$($param),*>: AsyncFnMutSend<Args>,
        {
            type CallOnceSendFuture =
                <$name<$($param),*> as AsyncFnMutSend<Args>>::CallRefSendFuture<'r>;

            fn call_once_send(self, args: Args) -> Self::CallOnceSendFuture {
                self.call_mut_send(args)
            }
        }

        impl<'r, $($param,)* Args> AsyncFnMutSend<Args> for &'r mut $name<$($param),*>
        where
            $name<$($param),*>: AsyncFnMutSend<Args>,
        {
            type CallRefSendFuture<'a>
                = <$name<$($param),*> as AsyncFnMutSend<Args>>::CallRefSendFuture<'a>
            where
                Self: 'a;

            fn call_mut_send(&mut self, args: Args) -> Self::CallRefSendFuture<'_> {
                (**self).call_mut_send(args)
            }
        }
    };
}

impl_by_mut_reference!(AsyncClosure<S, B, BO>);
impl_by_mut_reference!(AsyncClosureMut<S, B, BO>);

impl<'r, S, B, BO, Args> AsyncFnOnce<Args> for &'r AsyncClosure<S, B, BO>
where
    AsyncClosure<S, B, BO>: AsyncFn<Args>,
{
    type Output = <AsyncClosure<S, B, BO> as AsyncFnOnce<Args>>::Output;
    type CallOnceFuture = <AsyncClosure<S, B, BO> as AsyncFnMut<Args>>::CallRefFuture<'r>;

    fn call_once(self, args: Args) -> Self::CallOnceFuture {
        self.call(args)
    }
}

impl<'r, S, B, BO, Args> AsyncFnMut<Args> for &'r AsyncClosure<S, B, BO>
where
    AsyncClosure<S, B, BO>: AsyncFn<Args>,
{
    type CallRefFuture<'a>
        = <AsyncClosure<S, B, BO> as AsyncFnMut<Args>>::CallRefFuture<'r>
    where
        Self: 'a;

    fn call_mut(&mut self, args: Args) -> Self::CallRefFuture<'_> {
        (*self).call(args)
    }
}

impl<S, B, BO, Args> AsyncFn<Args> for &AsyncClosure<S, B, BO>
where
    AsyncClosure<S, B, BO>: AsyncFn<Args>,
{
    fn call(&self, args: Args) -> Self::CallRefFuture<'_> {
        (*self).call(args)
    }
}

impl<'r, S, B, BO, Args> AsyncFnOnceSend<Args> for &'r AsyncClosure<S, B, BO>
where
    AsyncClosure<S, B, BO>: AsyncFnSend<Args>,
{
    type CallOnceSendFuture =
        <AsyncClosure<S, B, BO> as AsyncFnMutSend<Args>>::CallRefSendFuture<'r>;

    fn call_once_send(self, args: Args) -> Self::CallOnceSendFuture {
        self.call_send(args)
    }
}

impl<'r, S, B, BO, Args> AsyncFnMutSend<Args> for &'r AsyncClosure<S, B, BO>
where
    AsyncClosure<S, B, BO>: AsyncFnSend<Args>,
{
    type CallRefSendFuture<'a>
        = <AsyncClosure<S, B, BO> as AsyncFnMutSend<Args>>::CallRefSendFuture<'r>
    where
        Self: 'a;

    fn call_mut_send(&mut self, args: Args) -> Self::CallRefSendFuture<'_> {
        (*self).call_send(args)
    }
}

impl<S, B, BO, Args> AsyncFnSend<Args> for &AsyncClosure<S, B, BO>
where
    AsyncClosure<S, B, BO>: AsyncFnSend<Args>,
{
    fn call_send(&self, args: Args) -> Self::CallRefSendFuture<'_> {
        (*self).call_send(args)
    }
}
