//! Graceful cancellation: [`cancel_gracefully`] keeps polling a future after its signal fired,
//! in a cancelling mode in which every `#[async_scope]` fn abandons its body at its next pending
//! suspension point, awaits its clean-up, and unwinds to the scope around it, innermost first.
//!
//! The mode is a thread-local flag set only while `cancel_gracefully` polls its future, so it
//! needs `std`. Each scope polled meanwhile notes that it is active; a scope whose body is
//! suspended with no active scope below it is the innermost one, and it is the one that
//! cancels. It cleans up and then resumes an unwind with a [`Cancelled`] payload, which the
//! scope around it catches like a panic (it cleans up and resumes it in turn), until
//! `cancel_gracefully` catches it and returns `Err(Cancelled)`.

use alloc::sync::Arc;
use core::cell::Cell;
use core::fmt;
use core::future::{Future, poll_fn};
use core::pin::{Pin, pin};
use core::sync::atomic::{AtomicBool, Ordering};
use core::task::{Context, Poll, Waker};
use std::sync::{Mutex, PoisonError};

use super::unwind::Payload;

/// The error of [`cancel_gracefully`]: the signal fired before the future ended, and the
/// future's scopes were cleaned up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cancelled;

impl fmt::Display for Cancelled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the future was cancelled gracefully before it ended")
    }
}

impl std::error::Error for Cancelled {}

#[derive(Clone, Copy, Default)]
struct State {
    /// `cancel_gracefully` is polling its future after the signal fired.
    cancelling: bool,
    /// A scope was polled (its body or its clean-up) since the enclosing scope started
    /// polling its body.
    scope_seen: bool,
}

std::thread_local! {
    static STATE: Cell<State> = const { Cell::new(State { cancelling: false, scope_seen: false }) };
}

fn update<R>(f: impl FnOnce(&mut State) -> R) -> R {
    STATE.with(|cell| {
        let mut state = cell.get();
        let result = f(&mut state);
        cell.set(state);
        result
    })
}

/// Called by a scope before it polls its body: no scope seen inside it yet.
pub(super) fn enter_scope() {
    update(|state| state.scope_seen = false);
}

/// Called after the body's poll: whether a scope was polled inside it. Marks this scope as
/// seen for the scope around it (which therefore needs nothing restored: whatever it had
/// seen before, it has now seen one more).
pub(super) fn leave_scope() -> bool {
    update(|state| core::mem::replace(&mut state.scope_seen, true))
}

/// Called while a scope's clean-up is polled: the scope is active, so the scopes around it
/// wait for it.
pub(super) fn mark_scope_active() {
    update(|state| state.scope_seen = true);
}

pub(super) fn is_cancelling() -> bool {
    update(|state| state.cancelling)
}

pub(super) fn cancelled_payload() -> Payload {
    alloc::boxed::Box::new(Cancelled)
}

/// Puts the saved state back when dropped, also during an unwind.
struct Restore(State);

impl Drop for Restore {
    fn drop(&mut self) {
        let saved = self.0;
        update(|state| *state = saved);
    }
}

/// Polls `f` in cancelling mode; returns its result and whether a scope was polled in it.
fn poll_cancelling<R>(f: impl FnOnce() -> R) -> (R, bool) {
    let saved = update(|state| {
        core::mem::replace(
            state,
            State {
                cancelling: true,
                scope_seen: false,
            },
        )
    });
    // Restore the outer state even if `f` unwinds.
    let restore = Restore(saved);
    let result = f();
    let seen = update(|state| state.scope_seen);
    drop(restore);
    (result, seen)
}

/// Runs `future` until it ends or `signal` fires. Once the signal fired, the future is polled
/// on in a cancelling mode: the innermost `#[async_scope]` fn stops at the first `.await` that
/// does not complete at once (usually the one it is suspended in),
/// awaits its clean-up (its `#[async_drop]` values and `defer_async!` futures, in reverse
/// order), and hands the cancellation to the scope around it, which does the same, until the
/// whole future is cleaned up; then `Err(Cancelled)` is returned. If the future ends on its
/// own meanwhile, its value is returned. A clean-up that panics meanwhile does not skip the
/// others, and its panic, a real failure, wins over the cancellation: it resumes from this
/// helper instead of `Err(Cancelled)`.
///
/// Dropping a future (a `select!` loser, a timeout, an aborted task) cannot await anything,
/// so its values get only the `Drop` fallback. The graceful forms:
/// * a timeout: `cancel_gracefully(future, tokio::time::sleep(duration))` instead of
///   `tokio::time::timeout(duration, future)` (`Err(Cancelled)` for `Err(Elapsed)`);
/// * a `select!` loser: select on `&mut` a pinned future, then [`cancel_now`] it;
/// * an aborted task: spawn [`abortable_gracefully`]'s future and call its handle's `abort`.
///
/// Limits:
/// * the cancellation travels up as an unwind (with a [`Cancelled`] payload, no panic
///   message): code between scopes runs its `Drop`s as during a panic, and a `catch_unwind`
///   of your own between two scopes would see it;
/// * the future must be polled on the same thread as this helper (a task spawned inside it is
///   not cancelled by it);
/// * in a future that polls several scopes at once (`join!`, `select!` of scopes), the first
///   scope to finish its clean-up unwinds through the others, which then get the `Drop`
///   fallback (and the orphan hook) instead;
/// * code outside any scope stops at its next `.await` after the signal (it is dropped);
/// * it needs the `std` feature (thread-local state and unwinding).
///
/// ```
/// use async_ext::{AsyncDrop, Cancelled, async_scope, cancel_gracefully};
/// use std::sync::{Arc, Mutex};
///
/// struct Conn(Arc<Mutex<Vec<&'static str>>>);
/// impl AsyncDrop for Conn {
///     async fn async_drop(&mut self) { self.0.lock().unwrap().push("closed"); }
/// }
///
/// #[async_scope]
/// async fn serve(#[async_drop] conn: Conn) {
///     conn.0.lock().unwrap().push("serving");
///     std::future::pending::<()>().await; // serves forever
/// }
///
/// let log = Arc::new(Mutex::new(Vec::new()));
/// let result = futures::executor::block_on(cancel_gracefully(
///     serve(Conn(log.clone())),
///     std::future::ready(()), // cancel at once
/// ));
/// assert_eq!(result, Err(Cancelled));
/// assert_eq!(*log.lock().unwrap(), ["serving", "closed"]);
/// ```
pub async fn cancel_gracefully<F: Future, S: Future>(
    future: F,
    signal: S,
) -> Result<F::Output, Cancelled> {
    let mut future = pin!(future);
    let mut signal = pin!(signal);
    let mut signalled = false;
    poll_fn(move |cx| {
        if !signalled && signal.as_mut().poll(cx).is_ready() {
            signalled = true;
        }
        if !signalled {
            return future.as_mut().poll(cx).map(Ok);
        }
        let (polled, scope_seen) = poll_cancelling(|| {
            std::panic::catch_unwind(core::panic::AssertUnwindSafe(|| future.as_mut().poll(cx)))
        });
        match polled {
            Ok(Poll::Ready(value)) => Poll::Ready(Ok(value)),
            // A scope is still cleaning up.
            Ok(Poll::Pending) if scope_seen => Poll::Pending,
            // No scope is running: the rest of the future is dropped as it stands.
            Ok(Poll::Pending) => Poll::Ready(Err(Cancelled)),
            Err(payload) if payload.is::<Cancelled>() => Poll::Ready(Err(Cancelled)),
            Err(payload) => std::panic::resume_unwind(payload),
        }
    })
    .await
}

/// Cancels `future` gracefully at once: [`cancel_gracefully`] with a signal that has already
/// fired. Its `#[async_scope]` fns stop where they are suspended and await their clean-up,
/// innermost first; then `Err(Cancelled)` is returned (or the value, if the future ends on its
/// own meanwhile).
///
/// This is the graceful form of a `select!` loser: `select!` drops the losing future, so
/// select on a pinned future through `&mut` instead, which leaves it alive, and cancel it with
/// this helper:
///
/// ```
/// use async_ext::{AsyncDrop, Cancelled, async_scope, cancel_now};
/// use std::sync::{Arc, Mutex};
///
/// struct Conn(Arc<Mutex<Vec<&'static str>>>);
/// impl AsyncDrop for Conn {
///     async fn async_drop(&mut self) { self.0.lock().unwrap().push("closed"); }
/// }
///
/// #[async_scope]
/// async fn serve(#[async_drop] conn: Conn) -> u32 {
///     conn.0.lock().unwrap().push("serving");
///     std::future::pending::<()>().await; // serves until cancelled
///     7
/// }
///
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let log = Arc::new(Mutex::new(Vec::new()));
/// let mut work = std::pin::pin!(serve(Conn(log.clone())));
/// let shutdown = std::future::ready(());
/// tokio::select! {
///     served = &mut work => println!("served {served}"),
///     () = shutdown => {
///         // `work` lost, but it was only borrowed: clean it up before going on.
///         assert_eq!(cancel_now(work).await, Err(Cancelled));
///     }
/// }
/// assert_eq!(*log.lock().unwrap(), ["serving", "closed"]);
/// # });
/// ```
///
/// The limits are those of [`cancel_gracefully`]; in particular the future must not be
/// polled elsewhere meanwhile (it is borrowed, so it cannot be).
pub async fn cancel_now<F: Future>(future: F) -> Result<F::Output, Cancelled> {
    cancel_gracefully(future, core::future::ready(())).await
}

/// Wraps `future` so that it can be cancelled gracefully from anywhere: the graceful form of
/// an abort handle (`tokio::task::JoinHandle::abort` drops the task's future, so its values
/// only get their `Drop`).
///
/// Spawn (or await) the returned future on any executor; [`GracefulAbortHandle::abort`] wakes
/// it, and it then runs as [`cancel_gracefully`] after its signal: the `#[async_scope]` fns
/// inside stop and await their clean-up, innermost first, and the future ends with
/// `Err(Cancelled)`. It ends with `Ok(value)` if `future` ends first. The returned future is
/// `Send` when `future` is.
///
/// ```
/// use async_ext::{AsyncDrop, Cancelled, abortable_gracefully, async_scope};
/// use std::sync::{Arc, Mutex};
///
/// struct Conn(Arc<Mutex<Vec<&'static str>>>);
/// impl AsyncDrop for Conn {
///     async fn async_drop(&mut self) { self.0.lock().unwrap().push("closed"); }
/// }
///
/// #[async_scope]
/// async fn serve(#[async_drop] conn: Conn) {
///     conn.0.lock().unwrap().push("serving");
///     std::future::pending::<()>().await; // serves until cancelled
/// }
///
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let log = Arc::new(Mutex::new(Vec::new()));
/// let (task, abort) = abortable_gracefully(serve(Conn(log.clone())));
/// let join = tokio::spawn(task);
/// # while log.lock().unwrap().is_empty() { tokio::task::yield_now().await; }
/// abort.abort(); // instead of `join.abort()`
/// assert_eq!(join.await.unwrap(), Err(Cancelled));
/// assert_eq!(*log.lock().unwrap(), ["serving", "closed"]);
/// # });
/// ```
pub fn abortable_gracefully<F: Future>(
    future: F,
) -> (
    impl Future<Output = Result<F::Output, Cancelled>>,
    GracefulAbortHandle,
) {
    let state = Arc::new(AbortState {
        aborted: AtomicBool::new(false),
        waker: Mutex::new(None),
    });
    let signal = AbortSignal {
        state: Arc::clone(&state),
    };
    (
        cancel_gracefully(future, signal),
        GracefulAbortHandle { state },
    )
}

/// Cancels the future of [`abortable_gracefully`] with its async clean-up. Cloning it gives
/// another handle to the same future.
#[derive(Debug, Clone)]
pub struct GracefulAbortHandle {
    state: Arc<AbortState>,
}

impl GracefulAbortHandle {
    /// Asks the future to cancel gracefully and wakes it. Aborting twice, or a future that has
    /// already ended, does nothing more.
    pub fn abort(&self) {
        self.state.aborted.store(true, Ordering::Release);
        let waker = self
            .state
            .waker
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    /// Whether [`abort`](Self::abort) was called.
    #[must_use]
    pub fn is_aborted(&self) -> bool {
        self.state.aborted.load(Ordering::Acquire)
    }
}

#[derive(Debug)]
struct AbortState {
    aborted: AtomicBool,
    /// The task to wake when aborted: the one that last polled the signal.
    waker: Mutex<Option<Waker>>,
}

/// The signal of [`abortable_gracefully`]: ready once aborted.
struct AbortSignal {
    state: Arc<AbortState>,
}

impl Future for AbortSignal {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.state.aborted.load(Ordering::Acquire) {
            return Poll::Ready(());
        }
        {
            let mut waker = self
                .state
                .waker
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            match &mut *waker {
                Some(known) if known.will_wake(cx.waker()) => {}
                _ => *waker = Some(cx.waker().clone()),
            }
        }
        // Aborted between the check and the registration: `abort` may have found no waker.
        if self.state.aborted.load(Ordering::Acquire) {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }
}
