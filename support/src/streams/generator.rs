//! The one `unsafe` module of the streams extension: a stream whose body future writes each
//! item into a slot inside the stream itself.
//!
//! `AsyncStream` owns the slot and the body. On the first poll it builds the body from the
//! closure the macro generated, handing it a [`Yielder`] that points at the slot; from then
//! on the stream is pinned, so the slot never moves while the body can reach it. A yield
//! stores its item in the slot and suspends; `poll_next` takes the item out and returns it.
//! No thread-local, no allocation, no pointer outside the stream.
//!
//! Soundness rests on three facts, each argued at the `unsafe` block that needs it and
//! attacked by the tests named in `guide/soundness.md`:
//! 1. the slot is reached only while `poll_next` polls the body that owns the `Yielder`
//!    (the macros bind the yielder to a hidden, unnameable name, reject `yield` in nested
//!    closures, async blocks and fns, and the yielder is neither `Copy` nor `Clone`);
//! 2. the stream is `!Unpin` and the body is never moved once built, so the pointer stays
//!    valid for as long as the body exists;
//! 3. the yielder's item type is invariant, so a slot is only ever written with its own type.

use core::cell::UnsafeCell;
use core::fmt;
use core::future::Future;
use core::marker::{PhantomData, PhantomPinned};
use core::pin::Pin;
use core::ptr::NonNull;
use core::task::{Context, Poll};

use futures_core::{FusedStream, Stream};

/// A stream made by [`stream!`](crate::stream!), [`try_stream!`](crate::try_stream!),
/// `#[async_stream]` or `#[async_try_stream]`.
///
/// It is `Send` exactly when its state (the captured variables, the locals alive across a
/// `yield` or `.await`, and the item type) is `Send`, allocates nothing, and returns `None`
/// forever once its body has finished. `F` is the closure that builds the body on the first
/// poll and `Fut` the body itself; neither can be named, so write the type as
/// `impl Stream<Item = T>`.
#[must_use = "streams do nothing unless polled"]
pub struct AsyncStream<T, F, Fut> {
    state: State<F, Fut>,
    slot: YieldSlot<T>,
    // The body holds a pointer to `slot`: the stream must not move once polled.
    _pinned: PhantomPinned,
}

enum State<F, Fut> {
    /// Not polled yet: the closure that builds the body from a `Yielder`.
    Start(F),
    /// The body; structurally pinned.
    Running(Fut),
    /// Finished: every later poll returns `None`.
    Done,
}

/// Where a yield leaves its item for `poll_next`.
struct YieldSlot<T>(UnsafeCell<Option<T>>);

// SAFETY: `&AsyncStream` gives access to nothing: every method that touches the slot takes
// `Pin<&mut AsyncStream>`, and the only other access is the `Yielder` inside the body, which
// runs only inside `poll_next`, under that same exclusive borrow. So sharing a `&YieldSlot`
// between threads cannot race; `T: Send` because items are handed to whoever polls.
unsafe impl<T: Send> Sync for YieldSlot<T> {}

impl<T, F, Fut> AsyncStream<T, F, Fut> {
    pub(crate) fn new(build_body: F) -> Self {
        AsyncStream {
            state: State::Start(build_body),
            slot: YieldSlot(UnsafeCell::new(None)),
            _pinned: PhantomPinned,
        }
    }
}

/// What the body's output adds at the end of the stream: nothing for `stream!`, the error
/// for `try_stream!`.
pub trait BodyOutput<T> {
    /// The last item, if the body's output makes one.
    fn final_item(self) -> Option<T>;
}

impl<T> BodyOutput<T> for () {
    #[inline]
    fn final_item(self) -> Option<T> {
        None
    }
}

impl<T, E> BodyOutput<Result<T, E>> for Result<(), E> {
    #[inline]
    fn final_item(self) -> Option<Result<T, E>> {
        self.err().map(Err)
    }
}

impl<T, F, Fut> Stream for AsyncStream<T, F, Fut>
where
    F: FnOnce(Yielder<T>) -> Fut,
    Fut: Future,
    Fut::Output: BodyOutput<T>,
{
    type Item = T;

    #[inline]
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        // SAFETY: nothing below moves a structurally pinned value: the body (`Running`) is
        // pinned again right away and only ever dropped in place (by assigning `Done`); the
        // closure (`Start`) and the slot's item are not structurally pinned, so moving them
        // out is fine. `AsyncStream` is `!Unpin`, so `Pin<&mut Self>` really is pinned.
        let this = unsafe { self.get_unchecked_mut() };
        if let State::Start(_) = this.state {
            let State::Start(build_body) = core::mem::replace(&mut this.state, State::Done) else {
                return Poll::Ready(None);
            };
            // If `build_body` panics, the state is already `Done`: later polls return `None`.
            let yielder = Yielder {
                slot: NonNull::from(&this.slot),
                _not_copy: PhantomData,
            };
            this.state = State::Running(build_body(yielder));
        }
        let State::Running(body) = &mut this.state else {
            return Poll::Ready(None);
        };
        // SAFETY: `body` lives inside `self`, which is pinned; it is never moved out of
        // `state`, only dropped in place when the state becomes `Done`.
        let body = unsafe { Pin::new_unchecked(body) };
        match body.poll(cx) {
            Poll::Pending => {
                // SAFETY: the body is not running (its poll returned), so nothing else
                // accesses the slot now; we hold the stream exclusively.
                let item = unsafe { (*this.slot.0.get()).take() };
                match item {
                    Some(item) => Poll::Ready(Some(item)),
                    None => Poll::Pending,
                }
            }
            Poll::Ready(output) => {
                this.state = State::Done;
                Poll::Ready(output.final_item())
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self.state {
            State::Done => (0, Some(0)),
            State::Start(_) | State::Running(_) => (0, None),
        }
    }
}

impl<T, F, Fut> FusedStream for AsyncStream<T, F, Fut>
where
    F: FnOnce(Yielder<T>) -> Fut,
    Fut: Future,
    Fut::Output: BodyOutput<T>,
{
    fn is_terminated(&self) -> bool {
        matches!(self.state, State::Done)
    }
}

impl<T, F, Fut> fmt::Debug for AsyncStream<T, F, Fut> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.state {
            State::Start(_) => "not started",
            State::Running(_) => "running",
            State::Done => "done",
        };
        f.debug_struct("AsyncStream")
            .field("state", &state)
            .finish_non_exhaustive()
    }
}

/// The body's handle on its stream's slot. Made only by `AsyncStream::poll_next` and bound by
/// the macros to a hidden name; neither `Copy` nor `Clone`.
pub struct Yielder<T> {
    // `NonNull<YieldSlot<T>>` is invariant in `T` (through `UnsafeCell`).
    slot: NonNull<YieldSlot<T>>,
    // Raw pointers are `Copy`-able, the yielder must not be: this keeps it unique.
    _not_copy: PhantomData<*mut ()>,
}

// SAFETY: the yielder lives inside the body, inside the stream whose slot it points to, and
// is only used while that stream is polled (see the module docs): moving it to another thread
// means moving the whole stream, which is fine when the items are `Send`.
unsafe impl<T: Send> Send for Yielder<T> {}
// SAFETY: no method takes `&Yielder`; sharing one gives access to nothing.
unsafe impl<T: Send> Sync for Yielder<T> {}

impl<T> fmt::Debug for Yielder<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Yielder")
    }
}

impl<T> Yielder<T> {
    /// One `yield`: stores `item` in the stream's slot at once, and returns the future the
    /// body awaits right away, which suspends once so `poll_next` can hand the item out.
    /// (Storing here rather than in the future keeps the item out of the body's state.)
    #[inline]
    pub fn yield_item(&mut self, item: T) -> YieldFuture<'_, T> {
        // SAFETY: the yielder lives in the body of the stream that owns the slot and cannot
        // leave it (fact 1), and the body runs only inside that stream's `poll_next`, which
        // does not touch the slot while the body runs: the access is exclusive. The stream is
        // pinned (fact 2), so the pointer is valid; the slot's type is `T` exactly (fact 3).
        unsafe { *(*self.slot.as_ptr()).0.get() = Some(item) };
        YieldFuture {
            suspended: false,
            _yielder: PhantomData,
        }
    }
}

impl<T, E> Yielder<Result<T, E>> {
    /// `yield value` in `try_stream!`: yields `Ok(value)`.
    #[inline]
    pub fn yield_ok(&mut self, value: T) -> YieldFuture<'_, Result<T, E>> {
        self.yield_item(Ok(value))
    }
}

/// Future of [`Yielder::yield_item`]: pending once, then ready.
#[must_use = "a yield does nothing unless awaited"]
pub struct YieldFuture<'a, T> {
    suspended: bool,
    // Borrows the yielder: one yield at a time.
    _yielder: PhantomData<&'a mut Yielder<T>>,
}

impl<T> fmt::Debug for YieldFuture<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("YieldFuture")
            .field("suspended", &self.suspended)
            .finish()
    }
}

impl<T> Future for YieldFuture<'_, T> {
    type Output = ();

    #[inline]
    fn poll(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<()> {
        if self.suspended {
            Poll::Ready(())
        } else {
            // No waker is registered on purpose: `poll_next` finds the item in the slot and
            // returns it; the next `poll_next` resumes the body past this point.
            self.suspended = true;
            Poll::Pending
        }
    }
}
