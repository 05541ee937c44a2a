//! The one `unsafe` module of the streams extension: a stream whose body future hands each
//! item to `poll_next` through a slot on `poll_next`'s own stack.
//!
//! `AsyncStream` owns the body. On the first poll it draws a fresh, never-reused id and builds
//! the body from the closure the macro generated, handing it a [`Yielder`] that carries that
//! id. While `poll_next` polls the body, a thread-local points at a `Slot` on `poll_next`'s
//! stack: the stream's id and an empty `Option<T>`. A yield checks that the slot's id is its
//! own, stores the item in the slot and suspends; `poll_next` takes the item out and returns
//! it. No allocation, nothing stored in the stream but the body and the id. (One thread-local
//! word rather than id and pointer side by side: the id then travels through the stack, which
//! the CPU forwards cheaply; 2.5× faster through `dyn` on the machine measured.)
//!
//! The yielder is a plain value that safe code can get hold of (`__private::stream_new` is
//! callable, and a closure can smuggle its argument out through a channel, an
//! `Rc<RefCell<_>>` or a static). Soundness therefore does not depend on where the yielder
//! is, only on this run-time check: **a yielder writes only while its own stream is the one
//! being polled on the current thread** (the innermost one, if polls nest), and otherwise
//! panics. Then the slot it writes into belongs to that very `poll_next`, which is still
//! running (so the slot is alive and not borrowed elsewhere), and the slot's type is the
//! yielder's item type (one id
//! belongs to one stream, whose item type is the yielder's, and `Yielder<T>` is invariant in
//! `T`). Each `unsafe` block argues its part; `guide/soundness.md` lists the tests that
//! attack it.

#[cfg(feature = "std")]
use core::cell::Cell;
use core::fmt;
use core::future::Future;
use core::marker::{PhantomData, PhantomPinned};
use core::num::NonZeroU64;
use core::pin::Pin;
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
    // Items pass through `poll_next`'s stack, never through the stream; this marker makes the
    // stream `Send`/`Sync` only when its items are (as documented), and invariant in `T`.
    _item: ItemMarker<T>,
    // Not needed by this module (nothing points into the stream), but the body is an async
    // block that may point into itself; `!Unpin` states that honestly.
    _pinned: PhantomPinned,
}

/// Owns a `T` for auto traits (`Send`/`Sync` when `T` is) and is invariant in `T`.
type ItemMarker<T> = PhantomData<(T, fn(T) -> T)>;

// Two variants, not three: the tag then fits in the niche of the id (never 0), and the
// stream needs no separate tag or id field (8 to 16 bytes smaller).
enum State<F, Fut> {
    /// `Some`: not polled yet, the closure that builds the body from a `Yielder`.
    /// `None`: finished, every later poll returns `None`.
    Idle(Option<F>),
    /// The body, structurally pinned, and the id its yielder carries.
    Running { id: NonZeroU64, body: Fut },
}

impl<T, F, Fut> AsyncStream<T, F, Fut> {
    pub(crate) fn new(build_body: F) -> Self {
        AsyncStream {
            state: State::Idle(Some(build_body)),
            _item: PhantomData,
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
        // pinned again right away and only ever dropped in place (by assigning `Idle(None)`);
        // the closure (`Idle(Some(_))`) is not structurally pinned, so moving it out is fine.
        let this = unsafe { self.get_unchecked_mut() };
        if let State::Idle(start) = &mut this.state {
            // Not started: take the closure, leaving "done". Done: `None` forever.
            let Some(build_body) = start.take() else {
                return Poll::Ready(None);
            };
            // If `build_body` panics, the state is already `Idle(None)`: later polls return
            // `None`.
            // It runs outside `Polling`: a yield inside it panics.
            let id = ids::fresh();
            let body = build_body(Yielder {
                id: id.get(),
                _item: PhantomData,
            });
            this.state = State::Running { id, body };
        }
        let State::Running { id, body } = &mut this.state else {
            return Poll::Ready(None);
        };
        // SAFETY: `body` lives inside `self`, which is pinned; it is never moved out of
        // `state`, only dropped in place when the state becomes `Idle(None)`.
        let body = unsafe { Pin::new_unchecked(body) };
        let mut slot = Slot {
            id: id.get(),
            item: None,
        };
        let polled = {
            // Restores the previous "being polled" on drop, unwinding included, so the
            // pointer to `slot` never outlives this block.
            let _polling = Polling::enter((&raw mut slot).cast());
            body.poll(cx)
        };
        match polled {
            Poll::Pending => match slot.item {
                Some(item) => Poll::Ready(Some(item)),
                None => Poll::Pending,
            },
            Poll::Ready(output) => {
                this.state = State::Idle(None);
                // An item stored by a yield that was not awaited (possible only by calling
                // `Yielder::yield_item` by hand) is dropped here with `slot`.
                Poll::Ready(output.final_item())
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self.state {
            State::Idle(None) => (0, Some(0)),
            State::Idle(Some(_)) | State::Running { .. } => (0, None),
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
        matches!(self.state, State::Idle(None))
    }
}

impl<T, F, Fut> fmt::Debug for AsyncStream<T, F, Fut> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.state {
            State::Idle(Some(_)) => "not started",
            State::Running { .. } => "running",
            State::Idle(None) => "done",
        };
        f.debug_struct("AsyncStream")
            .field("state", &state)
            .finish_non_exhaustive()
    }
}

/// Where a yield leaves its item: a local of `poll_next`, with the id of the stream polling.
/// `repr(C)` puts `id` first whatever `T` is, so a yielder can read the id before it knows
/// that the slot is its own, of its own item type.
#[repr(C)]
struct Slot<T> {
    id: u64,
    item: Option<T>,
}

#[cfg(feature = "std")]
std::thread_local! {
    // The `Slot` of the stream being polled on this thread, as a pointer to its `id` (null:
    // none). `const` initialisation and no destructor: a plain `fs:`-relative access, never
    // destroyed while the thread runs.
    static CURRENT: Cell<*mut u64> = const { Cell::new(core::ptr::null_mut()) };
}

/// "This stream is being polled on this thread", from `enter` until drop.
struct Polling {
    previous: *mut u64,
}

impl Polling {
    #[inline]
    fn enter(slot: *mut u64) -> Self {
        Polling {
            previous: current::replace(slot),
        }
    }
}

impl Drop for Polling {
    #[inline]
    fn drop(&mut self) {
        current::replace(self.previous);
    }
}

#[cfg(feature = "std")]
mod current {
    use super::CURRENT;

    #[inline]
    pub(super) fn replace(new: *mut u64) -> *mut u64 {
        CURRENT.replace(new)
    }

    #[inline]
    pub(super) fn get() -> *mut u64 {
        CURRENT.get()
    }
}

// Without `std` there is no thread-local: `stream_new`/`try_stream_new` require
// `NeedsStd`, which then has no impl, so no `AsyncStream` is ever built and these never run.
#[cfg(not(feature = "std"))]
mod current {
    pub(super) fn replace(_: *mut u64) -> *mut u64 {
        core::ptr::null_mut()
    }

    pub(super) fn get() -> *mut u64 {
        core::ptr::null_mut()
    }
}

/// Stream ids: unique for the life of the process, never reused, never an address.
mod ids {
    use core::num::NonZeroU64;
    use core::sync::atomic::{AtomicU64, Ordering};

    #[cfg(feature = "std")]
    use super::Cell;

    /// Ids are handed to threads in blocks, so making a stream costs no atomic operation
    /// (and no cache-line ping-pong between threads) 1023 times out of 1024.
    const BLOCK: u64 = 1024;
    static NEXT_BLOCK: AtomicU64 = AtomicU64::new(1);

    #[cfg(feature = "std")]
    std::thread_local! {
        // The next id of this thread's block and the end of the block.
        static RESERVED: Cell<(u64, u64)> = const { Cell::new((0, 0)) };
    }

    #[inline]
    pub(super) fn fresh() -> NonZeroU64 {
        #[cfg(feature = "std")]
        {
            let (next, end) = RESERVED.get();
            if next < end
                && let Some(id) = NonZeroU64::new(next)
            {
                RESERVED.set((next + 1, end));
                return id;
            }
            let start = new_block();
            RESERVED.set((start.get() + 1, start.get() + BLOCK));
            start
        }
        #[cfg(not(feature = "std"))]
        new_block()
    }

    #[cold]
    fn new_block() -> NonZeroU64 {
        let start = NEXT_BLOCK.fetch_add(BLOCK, Ordering::Relaxed);
        // Reusing an id would let a stale yielder write into another stream. Reaching 2^63
        // takes centuries; past it, stop rather than risk a wrap (as `Arc` does for its
        // count). Every thread that gets here stops the process, so the counter cannot be
        // pushed the remaining 2^63 to the wrap. The counter starts at 1: no id is 0.
        if start > u64::MAX / 2 {
            overflow();
        }
        NonZeroU64::new(start).unwrap_or_else(|| overflow())
    }

    #[cold]
    fn overflow() -> ! {
        #[cfg(feature = "std")]
        std::process::abort();
        #[cfg(not(feature = "std"))]
        panic!("async-ext: stream ids exhausted");
    }
}

/// The body's handle on its stream. Made only by `AsyncStream::poll_next`, bound by the macros
/// to a hidden name, and neither `Copy` nor `Clone` — but nothing relies on that: wherever a
/// yielder ends up, it can only yield while its own stream polls it (see the module docs).
pub struct Yielder<T> {
    /// The id of the stream that made it.
    id: u64,
    // Invariant in `T`: a `Yielder<&'static str>` must not become a `Yielder<&'a str>` or the
    // other way round, since the slot it writes into has exactly the stream's item type.
    // `fn(T) -> T` also keeps the yielder `Send` and `Sync`: it holds no `T`.
    _item: PhantomData<fn(T) -> T>,
}

impl<T> fmt::Debug for Yielder<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Yielder")
    }
}

impl<T> Yielder<T> {
    /// One `yield`: stores `item` in the slot of the stream being polled at once, and returns
    /// the future the body awaits right away, which suspends once so `poll_next` can hand the
    /// item out. (Storing here rather than in the future keeps the item out of the body's
    /// state.)
    ///
    /// # Panics
    ///
    /// If this yielder's stream is not the stream being polled on this thread: the yielder
    /// was taken out of its body (into a closure, a channel, another thread, another
    /// stream's body) or is used after its stream ended.
    #[inline]
    #[track_caller]
    pub fn yield_item(&mut self, item: T) -> YieldFuture<'_, T> {
        let current = current::get();
        // SAFETY: a non-null `current` points at the `id` of a live `Slot`: `Polling` publishes
        // only the address of a `poll_next` local and takes it back (on return and on unwind)
        // before that local goes away; nested polls restore the outer address. `Slot` is
        // `repr(C)` with `id: u64` first, so the read is valid whatever that slot's item type.
        if current.is_null() || unsafe { current.read() } != self.id {
            misused();
        }
        // SAFETY: the slot's id is this yielder's, and ids are unique and never reused, so this
        // thread is inside the poll of the stream that made this yielder, and `current` is that
        // `poll_next`'s `slot`: alive (see above), untouched by `poll_next` until the body's
        // poll returns, and a `Slot<T>` of this yielder's `T` (the stream made the yielder with
        // its own item type; both are invariant in `T`). The old item is dropped after the
        // write, so user code in its `Drop` sees no half-written slot.
        let previous = unsafe { (&raw mut (*current.cast::<Slot<T>>()).item).replace(Some(item)) };
        drop(previous);
        YieldFuture {
            suspended: false,
            _yielder: PhantomData,
        }
    }
}

#[cold]
#[inline(never)]
#[track_caller]
fn misused() -> ! {
    panic!(
        "a stream's yielder was used outside that stream's poll: it escaped its body, \
         or its stream ended"
    )
}

impl<T, E> Yielder<Result<T, E>> {
    /// `yield value` in `try_stream!`: yields `Ok(value)`.
    #[inline]
    #[track_caller]
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

/// Async generators need the thread-local above, so the `std` feature: with it every type
/// implements this; without it none does, and `stream_new` says why at the user's macro.
#[diagnostic::on_unimplemented(
    message = "async generators need the `std` feature of async-ext",
    label = "this generator",
    note = "a thread-local keeps generators sound; enable `features = [\"std\"]` on async-ext"
)]
pub trait NeedsStd {}

#[cfg(feature = "std")]
impl<T: ?Sized> NeedsStd for T {}
