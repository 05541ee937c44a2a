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

use core::cell::Cell;
use core::fmt;
use core::future::{Future, poll_fn};
use core::pin::pin;
use core::task::Poll;

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
/// Dropping a future (a `select!` loser, a timeout) cannot await anything, so its values get
/// only the `Drop` fallback; this helper is the way to cancel with the async clean-up.
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
