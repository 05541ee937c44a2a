//! Runtime of the async drop extension: the [`AsyncDrop`] and [`AsyncDropSend`] traits with
//! their container impls, the orphan hook that reports values whose async clean-up could not
//! run, the graceful-cancellation helpers (`cancel_gracefully`, `cancel_now`,
//! `abortable_gracefully`), and the slots `#[async_scope]` fns keep their values in.
//!
//! See the [guide chapter](crate::guide::async_drop).

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::future::Future;

mod body;
#[cfg(feature = "std")]
mod cancel;
mod ecosystem;
mod hook_cell;
mod orphan;
mod send_hint;
mod slot;
mod unwind;

#[cfg(feature = "std")]
pub use cancel::{
    Cancelled, GracefulAbortHandle, abortable_gracefully, cancel_gracefully, cancel_now,
};
#[cfg(feature = "futures-io")]
pub use ecosystem::CloseOnAsyncDrop;
pub use orphan::{Orphan, set_orphan_hook, strict_orphans};
pub use send_hint::NeedsAsyncDropSend;

/// A value whose clean-up is asynchronous: closing a connection, flushing a file, rolling back
/// a transaction.
///
/// Implement it with `async fn`:
///
/// ```
/// use async_ext::AsyncDrop;
///
/// struct Conn { open: bool }
///
/// impl AsyncDrop for Conn {
///     async fn async_drop(&mut self) {
///         // `self.close().await` in real code
///         self.open = false;
///     }
/// }
/// ```
///
/// A value is async-dropped by binding it with `#[async_drop]` in an
/// [`#[async_scope]`](macro@crate::async_scope) fn, or by awaiting `async_drop()` yourself.
/// `async_drop` takes `&mut self`: the value's ordinary `Drop` still runs afterwards, when it
/// goes out of memory, so a type can keep a `Drop` fallback for the case where the async
/// clean-up never ran (see [`set_orphan_hook`]).
// A type of another crate cannot get the impl the first note shows (the orphan rule), so the
// second note names the two ways out: a newtype, or one of the optional features. The
// attribute cannot tell where `{Self}` is defined, so each note says when it applies.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement `AsyncDrop`, so it has no async clean-up",
    label = "this value cannot be async-dropped",
    note = "if `{Self}` is defined in your crate, implement it (`impl AsyncDrop for {Self} {{ \
            async fn async_drop(&mut self) {{ … }} }}`) or derive it with `#[derive(AsyncDrop)]`",
    note = "if `{Self}` is defined in another crate, the orphan rule forbids that impl in yours: \
            wrap it in a newtype (`struct Wrapper({Self});`) and implement `AsyncDrop` for the \
            wrapper; tokio's writers, sockets, files and tasks and `futures::io::BufWriter` \
            implement it with async-ext's `tokio` and `futures-io` features"
)]
pub trait AsyncDrop {
    /// Runs the asynchronous clean-up. Called at most once by `#[async_scope]`; the value is
    /// dropped normally right after.
    fn async_drop(&mut self) -> impl Future<Output = ()>;
}

/// [`AsyncDrop`] whose clean-up future is `Send`, so that generic code bounded by
/// `T: AsyncDropSend + Send` stays `Send` (a bound `T: AsyncDrop + Send` says nothing about
/// the future `async_drop` returns).
///
/// For a concrete type the impl is one line, which `#[derive(AsyncDrop)]` writes when asked
/// with `#[async_drop(send)]`:
///
/// ```
/// use async_ext::{AsyncDrop, AsyncDropSend};
/// # struct Conn;
/// # impl AsyncDrop for Conn { async fn async_drop(&mut self) {} }
/// impl AsyncDropSend for Conn {
///     fn async_drop_send(&mut self) -> impl Future<Output = ()> + Send {
///         self.async_drop()
///     }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement `AsyncDropSend`, so its async clean-up is not known \
               to be `Send`",
    label = "the clean-up of this value must be a `Send` future",
    note = "if `{Self}` is defined in your crate, add `#[async_drop(send)]` to its \
            `#[derive(AsyncDrop)]`, or write `impl AsyncDropSend for {Self} {{ fn \
            async_drop_send(&mut self) -> impl Future<Output = ()> + Send {{ self.async_drop() }} \
            }}`, which compiles when the future of `async_drop` is `Send`",
    note = "if `{Self}` is defined in another crate, the orphan rule forbids that impl in yours: \
            wrap it in a newtype and implement both traits for the wrapper; tokio's writers, \
            sockets, files and tasks and `futures::io::BufWriter` implement both with async-ext's \
            `tokio` and `futures-io` features, when what they hold is `Send`"
)]
pub trait AsyncDropSend: AsyncDrop {
    /// The same clean-up as [`AsyncDrop::async_drop`], with a `Send` future.
    fn async_drop_send(&mut self) -> impl Future<Output = ()> + Send;
}

impl<T: AsyncDrop> AsyncDrop for Option<T> {
    fn async_drop(&mut self) -> impl Future<Output = ()> {
        let inner = self.as_mut().map(T::async_drop);
        async move {
            if let Some(inner) = inner {
                inner.await;
            }
        }
    }
}

impl<T: AsyncDropSend> AsyncDropSend for Option<T> {
    fn async_drop_send(&mut self) -> impl Future<Output = ()> + Send {
        let inner = self.as_mut().map(T::async_drop_send);
        async move {
            if let Some(inner) = inner {
                inner.await;
            }
        }
    }
}

impl<T: AsyncDrop + ?Sized> AsyncDrop for Box<T> {
    fn async_drop(&mut self) -> impl Future<Output = ()> {
        (**self).async_drop()
    }
}

impl<T: AsyncDropSend + ?Sized> AsyncDropSend for Box<T> {
    fn async_drop_send(&mut self) -> impl Future<Output = ()> + Send {
        (**self).async_drop_send()
    }
}

/// Elements in order, first to last.
impl<T: AsyncDrop> AsyncDrop for [T] {
    async fn async_drop(&mut self) {
        for element in self {
            element.async_drop().await;
        }
    }
}

/// Elements in order, first to last.
impl<T: AsyncDropSend + Send> AsyncDropSend for [T] {
    async fn async_drop_send(&mut self) {
        for element in self {
            element.async_drop_send().await;
        }
    }
}

/// Elements in order, first to last.
impl<T: AsyncDrop, const N: usize> AsyncDrop for [T; N] {
    fn async_drop(&mut self) -> impl Future<Output = ()> {
        self.as_mut_slice().async_drop()
    }
}

/// Elements in order, first to last.
impl<T: AsyncDropSend + Send, const N: usize> AsyncDropSend for [T; N] {
    fn async_drop_send(&mut self) -> impl Future<Output = ()> + Send {
        self.as_mut_slice().async_drop_send()
    }
}

/// Elements in order, first to last.
impl<T: AsyncDrop> AsyncDrop for Vec<T> {
    fn async_drop(&mut self) -> impl Future<Output = ()> {
        self.as_mut_slice().async_drop()
    }
}

/// Elements in order, first to last.
impl<T: AsyncDropSend + Send> AsyncDropSend for Vec<T> {
    fn async_drop_send(&mut self) -> impl Future<Output = ()> + Send {
        self.as_mut_slice().async_drop_send()
    }
}

/// `impl AsyncDrop` (and `AsyncDropSend`) for tuples, elements in order.
macro_rules! tuple_impls {
    ($(($($name:ident . $index:tt),*))*) => {$(
        /// Elements in order, first to last.
        impl<$($name: AsyncDrop),*> AsyncDrop for ($($name,)*) {
            #[allow(clippy::unused_async)] // the unit tuple has nothing to await
            async fn async_drop(&mut self) {
                $( self.$index.async_drop().await; )*
            }
        }

        /// Elements in order, first to last.
        impl<$($name: AsyncDropSend + Send),*> AsyncDropSend for ($($name,)*) {
            fn async_drop_send(&mut self) -> impl Future<Output = ()> + Send {
                async move {
                    $( self.$index.async_drop_send().await; )*
                }
            }
        }
    )*};
}

tuple_impls! {
    ()
    (A.0)
    (A.0, B.1)
    (A.0, B.1, C.2)
    (A.0, B.1, C.2, D.3)
    (A.0, B.1, C.2, D.3, E.4)
    (A.0, B.1, C.2, D.3, E.4, F.5)
    (A.0, B.1, C.2, D.3, E.4, F.5, G.6)
    (A.0, B.1, C.2, D.3, E.4, F.5, G.6, H.7)
    (A.0, B.1, C.2, D.3, E.4, F.5, G.6, H.7, I.8)
    (A.0, B.1, C.2, D.3, E.4, F.5, G.6, H.7, I.8, J.9)
    (A.0, B.1, C.2, D.3, E.4, F.5, G.6, H.7, I.8, J.9, K.10)
    (A.0, B.1, C.2, D.3, E.4, F.5, G.6, H.7, I.8, J.9, K.10, L.11)
}

/// Schedules a future to be awaited when the enclosing [`#[async_scope]`](macro@crate::async_scope)
/// fn ends, on every exit path, in reverse order with the fn's `#[async_drop]` values.
///
/// # Syntax
///
/// ```text
/// defer_async!(FUTURE);     FUTURE: any expression of a type implementing Future<Output = ()>
/// ```
///
/// The future is created where the call stands (it may borrow the fn's arguments and earlier
/// locals) and awaited when the fn ends: on a normal end, `return`, `?` and a panic, in reverse
/// order with the fn's `#[async_drop]` values (the last one scheduled runs first). Write
/// `defer_async!(async { … })` or `defer_async!(flush())`: a fn item not called
/// (`defer_async!(flush)`) is not a future. If the fn's future is dropped before it ends, the
/// pending future is dropped unpolled and the orphan hook is told.
///
/// `#[async_scope]` rewrites `defer_async!(future)` before this macro expands, so it may only be
/// written directly in the body of an `#[async_scope]` fn: not in a closure, an async block,
/// another macro's arguments or a fn without the attribute (each is a compile error here).
/// See the [guide chapter](crate::guide::async_drop).
/// (The `@rewritten_by_async_scope` arm is what `#[async_scope]` turns a call into; it keeps
/// your import of the macro in use.)
///
/// ```
/// use async_ext::{async_scope, defer_async};
///
/// #[async_scope]
/// async fn work(log: &std::sync::Mutex<Vec<&'static str>>) {
///     defer_async!(async { log.lock().unwrap().push("deferred") });
///     log.lock().unwrap().push("body");
/// }
///
/// let log = std::sync::Mutex::new(Vec::new());
/// futures::executor::block_on(work(&log));
/// assert_eq!(*log.lock().unwrap(), ["body", "deferred"]);
/// ```
#[macro_export]
macro_rules! defer_async {
    // What `#[async_scope]` rewrote the call into.
    (@rewritten_by_async_scope $rewritten:expr) => {
        $rewritten
    };
    ($($tokens:tt)*) => {
        ::core::compile_error!(
            "`defer_async!` can only be used directly in the body of an `#[async_scope]` async fn \
             (not in a closure, an async block or another macro's arguments); add \
             `#[async_scope]` to the fn, or await the future yourself"
        )
    };
}

/// Takes the value of an `#[async_drop]` binding back out of its slot: the value is no longer
/// async-dropped when the fn ends, and the binding may not be used afterwards.
///
/// # Syntax
///
/// ```text
/// disarm!(NAME)     NAME: an `#[async_drop]` binding (a `let` or a parameter) of this fn;
///                   evaluates to the value, a `T` (the binding itself is a `&mut T`)
/// ```
///
/// A second `disarm!` of the same value panics. Like [`defer_async!`], it is rewritten by
/// `#[async_scope]` and is a compile error anywhere else.
/// See the [guide chapter](crate::guide::async_drop).
///
/// ```
/// use async_ext::{AsyncDrop, async_scope, disarm};
///
/// struct Conn(u32);
/// impl AsyncDrop for Conn { async fn async_drop(&mut self) { self.0 = 0; } }
///
/// #[async_scope]
/// async fn open() -> Conn {
///     #[async_drop]
///     let conn = Conn(7);
///     conn.0 += 1;
///     disarm!(conn) // handed to the caller, not cleaned up here
/// }
///
/// assert_eq!(futures::executor::block_on(open()).0, 8);
/// ```
#[macro_export]
macro_rules! disarm {
    // What `#[async_scope]` rewrote the call into.
    (@rewritten_by_async_scope $rewritten:expr) => {
        $rewritten
    };
    ($($tokens:tt)*) => {
        ::core::compile_error!(
            "`disarm!` can only be used directly in the body of an `#[async_scope]` async fn \
             (not in a closure, an async block or another macro's arguments), on the name of \
             an `#[async_drop]` binding: `disarm!(conn)`"
        )
    };
}

/// Items that generated code reaches through `async_ext::__private`.
pub(crate) mod private {
    // The traits, for `#[derive(AsyncDrop)]`'s impls.
    pub use super::{AsyncDrop, AsyncDropSend};

    use core::future::Future;

    /// `#[derive(AsyncDrop)]` awaits this for each marked field: a field whose type lacks
    /// `AsyncDrop` gives one error, at the field (a method call would add a second one at
    /// the `.await`, whose future type is then unknown).
    pub fn drop_field<T: AsyncDrop + ?Sized>(field: &mut T) -> impl Future<Output = ()> {
        field.async_drop()
    }

    /// [`drop_field`] for the `AsyncDropSend` impl that `#[async_drop(send)]` derives.
    pub fn drop_field_send<T: AsyncDropSend + ?Sized>(
        field: &mut T,
    ) -> impl Future<Output = ()> + Send {
        field.async_drop_send()
    }
    // The slots an `#[async_scope]` fn keeps its values and deferred futures in, and the
    // functions its body calls to fill, empty and clean them.
    pub use super::orphan::Site;
    pub use super::slot::{
        AsyncDropSlot, AsyncDropSlotFallback, AsyncDropSlotSend, DeferSlot, OrderedSlot, Rebind,
        RunDeferred, RunDeferredFallback, Slot, ValueSlot, defer, defer_once, disarm, end_cleanup,
        fill, fill_ordered, latest, rebind, same_type, slot_of, used_after_disarm,
    };
    // Polling the body and each clean-up so that a panic is caught, the clean-up runs, and
    // the panic resumes afterwards.
    pub use super::body::{ScopeBody, scope_body};
    pub use super::unwind::{Cleanup, Outcome, Payload, cleanup, rebind_cleanup};
}
