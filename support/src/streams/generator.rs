//! The one `unsafe` module of the streams extension: a stream whose body future hands each
//! item to `poll_next` through a slot on `poll_next`'s own stack.
//!
//! `AsyncStream` owns the body. On the first poll it draws a fresh, never-reused id and builds
//! the body from the closure the macro generated, handing it a [`Yielder`] that carries that
//! id. Each `poll_next` puts a `Slot` on its stack (the stream's id, the waker it was given
//! and an empty `Option<T>`) and polls the body with a `Context` whose waker is a wrapper: its
//! vtable is this module's `static VTABLE` and its data pointer is the slot. A yield future,
//! when polled, checks that its `Context`'s waker has that vtable and that the slot's id is
//! its own, stores the item in the slot and suspends; `poll_next` takes the item out and
//! returns it. No allocation, no thread-local (so no `std`), nothing stored in the stream but
//! the body and the id. The wrapper's `clone` returns a clone of the real waker and `wake_by_ref`
//! forwards to it, so futures in the body register the task's own waker and no copy of the
//! wrapper outlives the poll.
//!
//! The yielder is a plain value that safe code can get hold of (`__private::stream_new` is
//! callable, and a closure can smuggle its argument out through a channel, an
//! `Rc<RefCell<_>>` or a static). Soundness therefore does not depend on where the yielder
//! is, only on this run-time check: **a yield writes only when polled with the wrapper waker
//! of its own stream's running `poll_next`**, and otherwise panics. Only `poll_next` makes a
//! waker with `VTABLE` (that takes `unsafe`), and a `&Waker` cannot outlive the body's poll,
//! so the slot is alive and not touched by `poll_next` until the poll returns; the slot's type
//! is the yielder's item type (one id belongs to one stream, whose item type is the
//! yielder's, and `Yielder<T>` is invariant in `T`). Each `unsafe` block argues its part;
//! `guide/soundness.md` lists the tests that attack it.

use core::fmt;
use core::future::Future;
use core::marker::{PhantomData, PhantomPinned};
use core::mem::ManuallyDrop;
use core::num::NonZeroU64;
use core::pin::Pin;
use core::task::{Context, Poll, RawWaker, RawWakerVTable, Waker};

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
            // `None`. A yield future polled inside it sees the caller's waker and panics.
            let id = ids::fresh();
            let body = build_body(Yielder {
                id: PackedId::new(id),
                _item: PhantomData,
                _send: PhantomData,
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
            waker: cx.waker(),
            item: None,
        };
        let slot_ptr = &raw mut slot;
        // SAFETY: the `RawWaker` contract. `VTABLE`'s functions only read the slot's header
        // (id and the real `&Waker`, which is `Sync`) and call the real waker, so they are
        // thread-safe. The wrapper is borrowed by `body_cx` and dropped at the end of this
        // block, and the body's poll cannot keep a borrow of it beyond its own return
        // (`Future::poll` takes `&mut Context<'_>` for any lifetime; scoped threads are
        // joined before they return): so every call of a `VTABLE` function happens while
        // `slot` is alive. Nothing owns the wrapper (its clones are real wakers), so its
        // `wake`/`drop` are never called with a dangling pointer either. `poll_next` does not
        // touch `slot` until the body's poll has returned.
        let wrapper =
            ManuallyDrop::new(unsafe { Waker::new(slot_ptr.cast_const().cast(), &VTABLE) });
        let polled = body.poll(&mut Context::from_waker(&wrapper));
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

/// Where a yield leaves its item: a local of `poll_next`, with the id of the stream polling
/// and the waker `poll_next` was given. The wrapper waker's data pointer points here.
/// `repr(C)` puts `id` and `waker` first whatever `T` is, so the wrapper's functions and a
/// yield can read them before knowing that the slot is their own, of their own item type.
#[repr(C)]
struct Slot<T> {
    id: u64,
    /// The waker of the `Context` `poll_next` was called with.
    waker: *const Waker,
    item: Option<T>,
}

/// The `Slot` fields that do not depend on the item type.
#[repr(C)]
struct Header {
    id: u64,
    waker: *const Waker,
}

/// The wrapper waker's functions. A `static`, so it has one address: a waker whose vtable is
/// this one was built by `poll_next` (building a `Waker` from a vtable takes `unsafe`), and
/// its data pointer is that `poll_next`'s live `Slot`.
static VTABLE: RawWakerVTable = RawWakerVTable::new(clone, wake, wake_by_ref, drop_wrapper);

/// The real waker behind a wrapper.
///
/// # Safety
///
/// `data` is the data pointer of a wrapper waker that is still borrowed, so it points at the
/// `Slot` of a `poll_next` still on the stack (see `poll_next`).
unsafe fn real<'a>(data: *const ()) -> &'a Waker {
    // SAFETY: by the caller's contract `data` points at a live `Slot`, whose `repr(C)` header
    // holds the `&Waker` `poll_next` was called with; that borrow outlives the wrapper. Both
    // fields are only read while the wrapper exists, so reads from several threads (a scoped
    // thread handed `&Waker`) do not race.
    unsafe { &*(*data.cast::<Header>()).waker }
}

/// A clone of the wrapper is a clone of the real waker: no clone can outlive the poll, and
/// a stored clone wakes the task that polls the stream.
unsafe fn clone(data: *const ()) -> RawWaker {
    // SAFETY: the vtable's functions are called only through a `Waker` with this vtable,
    // which is a borrowed wrapper (nothing owns one), so `data` is a live slot.
    let real = ManuallyDrop::new(unsafe { real(data) }.clone());
    // The clone's ownership moves into the returned `RawWaker`.
    RawWaker::new(real.data(), real.vtable())
}

/// Never called: nobody owns a wrapper (clones are real wakers), so nothing can consume one.
/// Forwarding keeps it harmless all the same.
unsafe fn wake(data: *const ()) {
    // SAFETY: as in `clone`.
    unsafe { real(data) }.wake_by_ref();
}

unsafe fn wake_by_ref(data: *const ()) {
    // SAFETY: as in `clone`.
    unsafe { real(data) }.wake_by_ref();
}

/// The wrapper owns nothing.
unsafe fn drop_wrapper(_: *const ()) {}

/// Stream ids: unique for the life of the process, never reused, never an address.
mod ids {
    use core::num::NonZeroU64;
    use core::sync::atomic::{AtomicU64, Ordering};

    /// The next id. One uncontended atomic add per stream (no thread-local, so no `std`); on
    /// the machine measured it costs no more than a thread-local cache of id blocks did.
    static NEXT: AtomicU64 = AtomicU64::new(1);

    #[inline]
    pub(super) fn fresh() -> NonZeroU64 {
        let id = NEXT.fetch_add(1, Ordering::Relaxed);
        // Reusing an id would let a stale yielder write into another stream. Ids have 56 bits
        // (a yielder stores 7 bytes, see `PackedId`): handing out 2^56 of them takes more than
        // two years at a billion streams a second, the whole time; past that every new stream
        // panics before using its id (no `abort` in `core`), and pushing the counter the
        // remaining way to its wrap at 2^64, one caught panic at a time, takes centuries. The
        // counter starts at 1: no id is 0.
        if id >= 1 << 56 {
            overflow();
        }
        NonZeroU64::new(id).unwrap_or_else(|| overflow())
    }

    #[cold]
    #[inline(never)]
    fn overflow() -> ! {
        panic!("async-ext: stream ids exhausted")
    }
}

/// The body's handle on its stream. Made only by `AsyncStream::poll_next`, bound by the macros
/// to a hidden name, and neither `Copy` nor `Clone` — but nothing relies on where it is:
/// wherever a yielder ends up, its yields reach a slot only while its own stream polls it
/// (see the module docs).
pub struct Yielder<T> {
    /// The id of the stream that made it.
    id: PackedId,
    // Invariant in `T`: a `Yielder<&'static str>` must not become a `Yielder<&'a str>` or the
    // other way round, since the slot it writes into has exactly the stream's item type.
    _item: PhantomData<fn(T) -> T>,
    // `Send`/`Sync` only when `T` is: a yield polled on another thread (with a `&Waker`
    // smuggled into a scoped thread) moves its item to the stream's thread, so the yielder
    // may only go there when its items may.
    _send: PhantomData<T>,
}

/// A stream id in 7 bytes, aligned to 1: the yielder lives in the body for the body's whole
/// life, and there a 1-byte-aligned id shares its 8-byte word with the body's own state tag
/// instead of taking a word of its own (a `stream!` counting `u64`s: 56 bytes, not 64).
///
/// It is only ever compared, never decoded back into a `u64`: the comparison reads two
/// overlapping 4-byte halves (bytes 0..4 and 3..7, one load each) and compares them with the
/// same halves of the slot's id. Assembling the 7 bytes into a `u64` on every yield (three
/// loads, shifts and a zero check) made a `stream!` 9 instructions per item slower.
struct PackedId([u8; 7]);

impl PackedId {
    /// `id` must be below 2^56 (`ids::fresh` guarantees it).
    fn new(id: NonZeroU64) -> Self {
        let [bytes @ .., high] = id.get().to_le_bytes();
        debug_assert_eq!(high, 0, "stream ids have 56 bits");
        PackedId(bytes)
    }

    /// Whether this is `id`. Both have 56 bits (`id` is a slot's, which is a stream's), so
    /// bytes 0..4 and 3..7 of the two cover every bit.
    #[inline]
    fn is(&self, id: u64) -> bool {
        let [low @ .., _, _, _] = &self.0;
        let [_, _, _, high @ ..] = &self.0;
        // Truncation wanted: the low 32 bits, and bits 24..56.
        #[allow(clippy::cast_possible_truncation)]
        let (id_low, id_high) = (id as u32, (id >> 24) as u32);
        u32::from_le_bytes(*low) == id_low && u32::from_le_bytes(*high) == id_high
    }
}

impl<T> fmt::Debug for Yielder<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Yielder")
    }
}

impl<T> Yielder<T> {
    /// One `yield`: the future the body awaits right away. Its first poll stores `item` in
    /// the slot of its own stream's running `poll_next` and suspends, so `poll_next` can hand
    /// the item out; its second poll (the next `poll_next`) completes. Dropped unpolled, it
    /// drops `item` and yields nothing.
    #[inline]
    pub fn yield_item(&mut self, item: T) -> YieldFuture<'_, T> {
        YieldFuture {
            pending: Some((self, item)),
        }
    }
}

#[cold]
#[inline(never)]
fn misused() -> ! {
    panic!(
        "a stream's yielder was used outside that stream's poll: it escaped its body, \
         or its stream ended"
    )
}

impl<T, E> Yielder<Result<T, E>> {
    /// `yield value` in `try_stream!`: yields `Ok(value)`.
    #[inline]
    pub fn yield_ok(&mut self, value: T) -> YieldFuture<'_, Result<T, E>> {
        self.yield_item(Ok(value))
    }
}

/// Future of [`Yielder::yield_item`]: stores its item and is pending once, then ready.
///
/// # Panics
///
/// When polled by anything but its own stream's `poll_next` (through the body's top level):
/// the yielder was taken out of its body (into a closure, a channel, another thread, another
/// stream's body), is used after its stream ended, or the future is polled by another
/// executor.
#[must_use = "a yield does nothing unless awaited"]
pub struct YieldFuture<'a, T> {
    /// Until the first poll moves the item into the slot: the yielder (whose id the poll
    /// checks) and the item. One `Option` around both, so its tag lives in the reference's
    /// niche: the future is no bigger than `Option<T>` plus a pointer. The yielder is borrowed
    /// mutably, so a stream has one yield at a time (one writer per slot), and the future is
    /// `Send` exactly when the yielder is (a shared borrow would need `T: Sync`).
    pending: Option<(&'a mut Yielder<T>, T)>,
}

// The item is never pinned: the first poll moves it out.
impl<T> Unpin for YieldFuture<'_, T> {}

impl<T> fmt::Debug for YieldFuture<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("YieldFuture")
            .field("suspended", &self.pending.is_none())
            .finish()
    }
}

impl<T> Future for YieldFuture<'_, T> {
    type Output = ();

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        // The second poll (the body resumed) only reads. The first takes the item out before
        // the checks, not after (then the hot path writes the future once, with no jump
        // between the yield and its poll: 2 instructions per item of a `stream!` counter),
        // and puts it back if they fail.
        if this.pending.is_none() {
            return Poll::Ready(());
        }
        let Some((yielder, item)) = this.pending.take() else {
            return Poll::Ready(());
        };
        let waker = cx.waker();
        let slot = waker.data().cast::<Slot<T>>().cast_mut();
        let own_slot = core::ptr::eq(waker.vtable(), &raw const VTABLE)
            // SAFETY: a waker with `VTABLE` is a wrapper built by `poll_next` and still
            // borrowed (see the `SAFETY` at `Waker::new`), so `slot` points at the live `Slot`
            // of a running `poll_next`; its `repr(C)` header starts with the `u64` id whatever
            // its item type, and the id is never written while the slot lives.
            && yielder.id.is(unsafe { (&raw const (*slot).id).read() });
        if !own_slot {
            // Put back as it was: polling again panics again, dropping drops the item.
            this.pending = Some((yielder, item));
            misused();
        }
        // SAFETY: the slot's id is the yielder's (`PackedId::is` compares all 56 bits, and a
        // slot's id is a stream's, below 2^56), and ids are unique and never reused, so the
        // slot is the one of the `poll_next` of the stream that made this future's yielder:
        // alive (above), untouched by `poll_next` until the body's poll returns, and a
        // `Slot<T>` of this `T` (the stream made the yielder with its own item type; both are
        // invariant in `T`). It has no other writer: the stream's one yielder is borrowed by
        // this future, polled through `&mut`. If this runs on another thread (a scoped thread
        // given `&Waker`), the yielder got there, so `T: Send`, and the thread is joined
        // before the body's poll returns, which orders the write before `poll_next`'s read.
        // The old item is dropped after the write, so user code in its `Drop` sees no
        // half-written slot.
        let previous = unsafe { (&raw mut (*slot).item).replace(Some(item)) };
        drop(previous);
        // No waker is registered on purpose: `poll_next` finds the item in the slot and
        // returns it; the next `poll_next` resumes the body past this point.
        Poll::Pending
    }
}
