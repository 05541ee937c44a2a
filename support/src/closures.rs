//! Runtime of the closures extension: the `AsyncFn*` traits, their `Send` and `dyn` forms,
//! the blanket impls for plain closures, and the types `async_closure!` builds.
//!
//! See the [guide chapter](crate::guide::closures).

mod adapters;
mod arity;
mod dyn_fns;
mod error_closure;
mod made;

use core::future::Future;

pub use adapters::AsyncFnExt;
pub use dyn_fns::{DynAsyncFn, DynAsyncFnMut, DynAsyncFnOnce, DynCallFuture};
pub use made::{AsyncClosure, AsyncClosureMut, AsyncClosureOnce};

/// An async closure that can be called once: the stable twin of `core::ops::AsyncFnOnce`,
/// with a nameable future.
///
/// `Args` is the tuple of arguments: `()`, `(u32,)`, `(u32, &str)`; arities 0 to 12.
/// Implemented by every [`async_closure!`](crate::async_closure), by every plain closure or
/// fn item returning a future (`|x: u32| async move { x }`, `async fn` items), and by
/// `Box<dyn DynAsyncFnOnce<Args, Output>>`.
#[diagnostic::on_unimplemented(
    message = "expected an async closure taking the arguments `{Args}`, found `{Self}`",
    label = "not an async closure taking `{Args}`",
    note = "the arguments are one tuple: `f.call_once((a, b))`, `(a,)` for one argument, `()` for none"
)]
pub trait AsyncFnOnce<Args> {
    /// What the future resolves to.
    type Output;
    /// The future of [`call_once`](AsyncFnOnce::call_once).
    type CallOnceFuture: Future<Output = Self::Output>;
    /// Consumes the closure and returns its future.
    fn call_once(self, args: Args) -> Self::CallOnceFuture;
}

/// An async closure that can be called many times through `&mut self`, whose future may
/// borrow the closure's state (the "lending" property of native async closures).
#[diagnostic::on_unimplemented(
    message = "expected an async closure that can be called many times with `{Args}`, found `{Self}`",
    label = "not an `AsyncFnMut` closure taking `{Args}`",
    note = "an `async_closure!(once …)` implements only `AsyncFnOnce`; the arguments are one tuple, `(a,)` for one argument"
)]
pub trait AsyncFnMut<Args>: AsyncFnOnce<Args> {
    /// The future of [`call_mut`](AsyncFnMut::call_mut) (and [`AsyncFn::call`]); it may
    /// borrow the closure for `'a`.
    ///
    /// This bound does not make it `Send`: to spawn a call, bound the closure by
    /// [`AsyncFnMutSend`] and call [`call_mut_send`](AsyncFnMutSend::call_mut_send) (never
    /// `for<'a> F::CallRefFuture<'a>: Send`, which would force `F: 'static`).
    //
    // The comment at the end of the declaration's first line is part of the error for
    // `dyn AsyncFnMut` (and `dyn AsyncFn`): rustc quotes that line, as the reason the trait is
    // not dyn compatible. `rustfmt::skip` keeps it there.
    #[rustfmt::skip]
    type CallRefFuture<'a>: Future<Output = Self::Output> /* for `dyn`, use `DynAsyncFnMut<Args, Output>` or `DynAsyncFn` */
    where
        Self: 'a;
    /// Calls the closure; its state stays borrowed until the future is dropped.
    ///
    /// In generic code the future is not known to be `Send`: to spawn it, bound the closure
    /// by [`AsyncFnMutSend`] and call [`call_mut_send`](AsyncFnMutSend::call_mut_send).
    fn call_mut(&mut self, args: Args) -> Self::CallRefFuture<'_>;
}

/// An async closure that can be called through `&self`, even while earlier calls are running.
#[diagnostic::on_unimplemented(
    message = "expected an async closure callable through `&self` with `{Args}`, found `{Self}`",
    label = "not an `AsyncFn` closure taking `{Args}`",
    note = "an `async_closure!` with a `let mut` capture implements `AsyncFnMut`, not `AsyncFn`: bound the parameter with `AsyncFnMut` and call `call_mut`"
)]
pub trait AsyncFn<Args>: AsyncFnMut<Args> {
    /// Calls the closure; its state stays shared-borrowed until the future is dropped.
    fn call(&self, args: Args) -> Self::CallRefFuture<'_>;
}

/// [`AsyncFnOnce`] whose future is `Send`.
///
/// Native async closures cannot promise this on stable; a bound `F: AsyncFnOnceSend<Args>`
/// lets generic code spawn `f.call_once_send(args)` on a multi-threaded executor.
#[diagnostic::on_unimplemented(
    message = "expected an async closure with a `Send` future taking `{Args}`, found `{Self}`",
    label = "not an `AsyncFnOnceSend` closure taking `{Args}`",
    note = "the captures and every value the body holds across an `.await` must be `Send`"
)]
pub trait AsyncFnOnceSend<Args>: AsyncFnOnce<Args> {
    /// The future of [`call_once_send`](AsyncFnOnceSend::call_once_send): the same future as
    /// `call_once`'s, known to be `Send`.
    type CallOnceSendFuture: Future<Output = Self::Output> + Send;
    /// Like [`AsyncFnOnce::call_once`], with a `Send` future.
    fn call_once_send(self, args: Args) -> Self::CallOnceSendFuture;
}

/// [`AsyncFnMut`] whose futures are `Send`, for every borrow of the closure.
///
/// This is the bound to write instead of `for<'a> F::CallRefFuture<'a>: Send`, which would
/// force `F: 'static`: `F: AsyncFnMutSend<(u32,), Output = u32> + Send + 'static` can be called
/// inside `tokio::spawn`, and the closure's state need not be `'static` when it is not moved
/// into a task.
#[diagnostic::on_unimplemented(
    message = "expected an async closure with `Send` futures that can be called many times with `{Args}`, found `{Self}`",
    label = "not an `AsyncFnMutSend` closure taking `{Args}`",
    note = "the captures and every value the body holds across an `.await` must be `Send`; an `async_closure!(once …)` implements only the once traits"
)]
pub trait AsyncFnMutSend<Args>: AsyncFnMut<Args> + AsyncFnOnceSend<Args> {
    /// The future of [`call_mut_send`](AsyncFnMutSend::call_mut_send) (and
    /// [`AsyncFnSend::call_send`]): the same future as `call_mut`'s, known to be `Send`.
    // As for `CallRefFuture`: rustc quotes this line in the error for `dyn AsyncFnMutSend`.
    #[rustfmt::skip]
    type CallRefSendFuture<'a>: Future<Output = Self::Output> + Send /* for `dyn`, use `DynAsyncFnMut<Args, Output>` */
    where
        Self: 'a;
    /// Like [`AsyncFnMut::call_mut`], with a `Send` future.
    fn call_mut_send(&mut self, args: Args) -> Self::CallRefSendFuture<'_>;
}

/// [`AsyncFn`] whose futures are `Send`.
#[diagnostic::on_unimplemented(
    message = "expected an async closure with `Send` futures callable through `&self` with `{Args}`, found `{Self}`",
    label = "not an `AsyncFnSend` closure taking `{Args}`",
    note = "an `async_closure!` with a `let mut` capture implements `AsyncFnMutSend`, not `AsyncFnSend`; the captures must be `Sync` and `Send`"
)]
pub trait AsyncFnSend<Args>: AsyncFn<Args> + AsyncFnMutSend<Args> {
    /// Like [`AsyncFn::call`], with a `Send` future.
    fn call_send(&self, args: Args) -> Self::CallRefSendFuture<'_>;
}

/// A lending async closure with an explicit capture block, on stable Rust.
///
/// ```
/// use async_ext::{async_closure, AsyncFnMut};
///
/// # futures::executor::block_on(async {
/// let prefix = String::from("item-");
/// let mut next = async_closure!({ let mut n = 0u32; let prefix = prefix.clone(); }
///     async |step: u32| -> String {
///         n += step;
///         format!("{prefix}{n}")
///     });
/// assert_eq!(next.call_mut((2,)).await, "item-2");
/// assert_eq!(next.call_mut((3,)).await, "item-5");
/// # });
/// ```
///
/// # Syntax
///
/// ```text
/// async_closure!( [once] [{ let [mut] NAME [: TYPE] = EXPR; … }] async |ARG: TYPE, …| [-> RET] BODY )
/// ```
///
/// * The optional **capture block** runs once, when the closure is made; the closure owns the
///   values and the body names them as ordinary variables (`n += step`, also inside
///   `format!`). Outer locals not in the block are borrowed. `async move |..|` is rejected:
///   list what to move in the capture block instead.
/// * Every **argument** has a type (`x: u32`, `s: &str`); the call takes them as one tuple:
///   `f.call_mut((2,))`, `f.call((a, b))`, `f.call(())`. Arities 0 to 12.
/// * **`once`**: the closure implements only [`AsyncFnOnce`], and the body may move captures
///   out.
/// * `BODY` is any expression, a block or not; `#[for_await]` loops in it are rewritten.
///
/// The closure implements [`AsyncFn`] when no capture is `let mut`, [`AsyncFnMut`] otherwise,
/// and [`AsyncFnOnce`] always; the `…Send` traits ([`AsyncFnSend`], [`AsyncFnMutSend`],
/// [`AsyncFnOnceSend`]) too when its futures are `Send`. A call allocates nothing; its future
/// may borrow the closure's state. For a `dyn` closure, box it as a
/// [`DynAsyncFnMut`] (or [`DynAsyncFn`], [`DynAsyncFnOnce`]).
/// See the [guide chapter](crate::guide::closures).
#[macro_export]
macro_rules! async_closure {
    ($($tokens:tt)*) => {
        $crate::__private::async_closure_inner!(($crate) $($tokens)*)
    };
}

/// Items that generated code reaches through `async_ext::__private`.
pub(crate) mod private {
    // The funnels `async_closure!` calls: one per kind and arity, each giving the body
    // closures the state type and the argument types (kept higher-ranked) before they are
    // type-checked, and returning the closure value.
    pub use super::arity::funnels::*;
    // The "type with lifetime holes" the macro writes each argument type into, so that
    // `&str` arguments stay higher-ranked through the funnels.
    pub use super::arity::ArgType;
    // What the macro expands to after reporting an error, so one mistake gives one error.
    pub use super::error_closure::ErrorClosure;
}
