//! `InlineFuture`: a type-erased future kept in a fixed inline buffer when it fits, and boxed
//! when it does not. It is what a call through a `dyn` form returns — native mode's `Dyn`
//! trait companion and the `DynAsyncFn*` closures — so that a small future costs no
//! allocation.
//!
//! The mechanism is the one `unsafe` shared by the traits and closures runtimes, kept in this
//! module: the future is written into `[MaybeUninit<u8>; INLINE_CAPACITY]` and reached again
//! through two function pointers made for its concrete type (`poll_erased::<F>`,
//! `drop_erased::<F>`). A future that does not fit is boxed, and the box (one pointer) is
//! stored inline the same way.

use core::fmt;
use core::future::Future;
use core::marker::{PhantomData, PhantomPinned};
use core::mem::{self, MaybeUninit};
use core::pin::Pin;
use core::task::{Context, Poll};

use alloc::boxed::Box;

/// Bytes of inline storage: a future of at most this size (and at most [`INLINE_ALIGN`]
/// alignment) is stored without allocating.
pub(crate) const INLINE_CAPACITY: usize = 128;

/// Alignment of the inline storage.
pub(crate) const INLINE_ALIGN: usize = 16;

#[repr(C, align(16))]
struct Storage([MaybeUninit<u8>; INLINE_CAPACITY]);

// `INLINE_ALIGN` documents `Storage`'s `align(16)`: keep the two equal.
const _: () = assert!(mem::align_of::<Storage>() == INLINE_ALIGN);

/// Whether a value of type `F` fits the inline storage.
const fn fits<F>() -> bool {
    mem::size_of::<F>() <= INLINE_CAPACITY && mem::align_of::<F>() <= INLINE_ALIGN
}

/// A future of output `T` that borrows for `'a`, with its concrete type erased: stored inline
/// (no allocation) when it fits in 128 bytes with an alignment of at most 16, boxed (one
/// allocation) otherwise.
///
/// Made by [`InlineFuture::new`]; not `Send` (see [`SendInlineFuture`]), not `Unpin` (the
/// future it holds may be self-referential once polled, and it lives inside this value):
/// pin it (`pin!`, `Box::pin`) to poll it by hand; `.await` does that for you.
pub struct InlineFuture<'a, T> {
    storage: Storage,
    /// `poll_erased::<F>` for the `F` written into `storage`.
    poll: unsafe fn(*mut (), &mut Context<'_>) -> Poll<T>,
    /// `drop_erased::<F>` for the same `F`.
    drop: unsafe fn(*mut ()),
    /// The erased future lives for `'a` and may be neither `Send` nor `Sync`.
    _marker: PhantomData<(&'a (), *mut ())>,
    _pinned: PhantomPinned,
}

impl<'a, T> InlineFuture<'a, T> {
    /// Erases `future`: inline when it fits, in a `Box` (one allocation) when it does not.
    #[inline]
    pub fn new<F: Future<Output = T> + 'a>(future: F) -> Self {
        // Decided at compile time, per `F`: the branch not taken is optimised away.
        if const { fits::<F>() } {
            // SAFETY: `fits::<F>()` holds, checked just above.
            unsafe { Self::store(future) }
        } else {
            // Straight into its box, with no detour through a `Result` or a second move.
            let boxed = Box::pin(future);
            const { assert!(fits::<Pin<Box<F>>>(), "a box is one thin pointer") };
            // SAFETY: `fits::<Pin<Box<F>>>()` holds, asserted at compile time just above.
            unsafe { Self::store(boxed) }
        }
    }

    /// Writes `future` into the inline storage.
    ///
    /// # Safety
    ///
    /// `fits::<F>()` holds.
    #[inline]
    unsafe fn store<F: Future<Output = T> + 'a>(future: F) -> Self {
        // `MaybeUninit::uninit()` of the whole storage, not an array repeat of uninit bytes:
        // only the future is written (the array repeat compiled into zeroing the rest).
        let mut storage = MaybeUninit::<Storage>::uninit();
        // SAFETY: per the contract `fits::<F>()` holds: `storage` is large enough for an `F`
        // and, being `align(16)` with `align_of::<F>() <= 16`, aligned for one. The write moves
        // `future` in; from now on `storage` owns it, and `Drop` drops it exactly once.
        unsafe { storage.as_mut_ptr().cast::<F>().write(future) };
        InlineFuture {
            // SAFETY: `Storage` is an array of `MaybeUninit<u8>`, for which any bytes,
            // uninitialised ones included, are a valid value.
            storage: unsafe { storage.assume_init() },
            poll: poll_erased::<F>,
            drop: drop_erased::<F>,
            _marker: PhantomData,
            _pinned: PhantomPinned,
        }
    }

    /// A pointer to the stored future, made without a `&mut` to the storage: the future may
    /// borrow from itself once polled, and a fresh unique borrow of its bytes (as
    /// `self.storage.0.as_mut_ptr()` makes) would invalidate those borrows (Miri reports it).
    /// `&mut self` itself is fine: `InlineFuture` is `!Unpin`, like the async block it holds.
    fn as_mut_ptr(&mut self) -> *mut () {
        (&raw mut self.storage).cast()
    }
}

/// # Safety
///
/// `ptr` points to a live `F` that is pinned: it will not move again before it is dropped.
unsafe fn poll_erased<F: Future>(ptr: *mut (), cx: &mut Context<'_>) -> Poll<F::Output> {
    // SAFETY: per the contract, `ptr` is a valid, exclusive, pinned `F`.
    let future = unsafe { Pin::new_unchecked(&mut *ptr.cast::<F>()) };
    future.poll(cx)
}

/// # Safety
///
/// `ptr` points to a live `F`, which is not used again.
unsafe fn drop_erased<F>(ptr: *mut ()) {
    // SAFETY: per the contract, `ptr` is a valid `F` that nobody uses afterwards.
    unsafe { ptr.cast::<F>().drop_in_place() }
}

impl<T> Future for InlineFuture<'_, T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        // SAFETY: nothing below moves `self` or its storage: we only take a pointer into it.
        let this = unsafe { self.get_unchecked_mut() };
        let ptr = this.as_mut_ptr();
        // SAFETY: `storage` holds the live `F` that `try_inline` wrote with this `poll`
        // (it is dropped only in `Drop`). It is pinned: `self` is pinned and `InlineFuture`
        // is `!Unpin`, so the storage stays where it is until `Drop` runs.
        unsafe { (this.poll)(ptr, cx) }
    }
}

impl<T> Drop for InlineFuture<'_, T> {
    fn drop(&mut self) {
        let ptr = self.as_mut_ptr();
        // SAFETY: `storage` holds the live `F` written by `try_inline` with this `drop`, and
        // this is the only place that drops it; it is never used afterwards.
        unsafe { (self.drop)(ptr) }
    }
}

impl<T> fmt::Debug for InlineFuture<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InlineFuture").finish_non_exhaustive()
    }
}

/// An [`InlineFuture`] that is `Send`, because it can only be made from a `Send` future.
///
/// It is what a call through a `dyn` closure returns ([`DynCallFuture`](crate::DynCallFuture))
/// and what a call through a `Send` trait companion returns: the callee's future, inline when it
/// fits in 128 bytes (no allocation), boxed otherwise.
///
/// ```
/// let future = async_ext::SendInlineFuture::new(async { 1 });
/// std::thread::spawn(move || assert_eq!(futures::executor::block_on(future), 1));
/// ```
///
/// A future that is not `Send` is refused:
///
/// ```compile_fail
/// let shared = std::rc::Rc::new(1);
/// let future = async_ext::SendInlineFuture::new(async move { *shared });
/// ```
///
/// and neither form can be moved once pinned (both are `!Unpin`), nor shared across threads
/// (`!Sync`, as `Pin<Box<dyn Future + Send>>`):
///
/// ```compile_fail
/// fn unpin<T: Unpin>(_: &T) {}
/// unpin(&async_ext::SendInlineFuture::new(async { 1 }));
/// ```
///
/// ```compile_fail
/// fn sync<T: Sync>(_: &T) {}
/// sync(&async_ext::SendInlineFuture::new(async { 1 }));
/// ```
///
/// ```compile_fail
/// fn unpin<T: Unpin>(_: &T) {}
/// unpin(&async_ext::InlineFuture::new(async { 1 }));
/// ```
pub struct SendInlineFuture<'a, T>(InlineFuture<'a, T>);

impl<'a, T> SendInlineFuture<'a, T> {
    /// Erases `future`: inline when it fits, in a `Box` (one allocation) when it does not.
    #[inline]
    pub fn new<F: Future<Output = T> + Send + 'a>(future: F) -> Self {
        SendInlineFuture(InlineFuture::new(future))
    }
}

// SAFETY: the only way to make a `SendInlineFuture` is `new`, which takes an `F: Send`; the
// inner `InlineFuture` holds that `F` (or a `Pin<Box<F>>`, `Send` as well) and nothing else
// that is not `Send` (two fn pointers). Sending it sends the `F`. The output `T` is not held:
// it is made by `poll` on whichever thread polls, as for `Pin<Box<dyn Future + Send>>`.
unsafe impl<T> Send for SendInlineFuture<'_, T> {}

impl<T> Future for SendInlineFuture<'_, T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        // SAFETY: structural pinning of the only field: it is never moved out of a pinned
        // `SendInlineFuture` (there is no `Drop` impl or accessor that could).
        let inner = unsafe { self.map_unchecked_mut(|this| &mut this.0) };
        inner.poll(cx)
    }
}

impl<T> fmt::Debug for SendInlineFuture<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("SendInlineFuture").field(&self.0).finish()
    }
}

#[cfg(test)]
mod tests {
    //! Attacks on the inline storage: drops counted exactly, futures that do not fit (too
    //! large, over-aligned), a self-referential future moved before its first poll, a panic
    //! inside `poll`, zero-sized futures and non-`'static` borrows.

    use super::{INLINE_ALIGN, INLINE_CAPACITY, InlineFuture, SendInlineFuture, fits};
    use core::cell::Cell;
    use core::future::Future;
    use core::pin::{Pin, pin};
    use core::task::{Context, Poll, Waker};
    use std::boxed::Box;
    use std::rc::Rc;
    use std::vec;

    /// Counts its drops into a shared cell.
    struct DropCounter(Rc<Cell<usize>>);

    impl Drop for DropCounter {
        fn drop(&mut self) {
            self.0.set(self.0.get() + 1);
        }
    }

    /// Pending once, then ready.
    struct YieldOnce(bool);

    impl Future for YieldOnce {
        type Output = ();
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            if self.0 {
                Poll::Ready(())
            } else {
                self.0 = true;
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        }
    }

    fn poll<F: Future + ?Sized>(future: Pin<&mut F>) -> Poll<F::Output> {
        future.poll(&mut Context::from_waker(Waker::noop()))
    }

    fn run<F: Future>(future: F) -> F::Output {
        let mut future = pin!(future);
        loop {
            if let Poll::Ready(output) = poll(future.as_mut()) {
                return output;
            }
        }
    }

    #[repr(align(64))]
    struct OverAligned(u8);

    #[test]
    fn small_futures_fit_and_large_or_over_aligned_ones_do_not() {
        assert!(fits::<[u8; INLINE_CAPACITY]>());
        assert!(!fits::<[u8; INLINE_CAPACITY + 1]>());
        assert!(fits::<u128>());
        assert!(INLINE_ALIGN < 64 && !fits::<OverAligned>());
        assert!(fits::<()>());
    }

    #[test]
    fn inline_future_runs_and_drops_its_state_once() {
        let drops = Rc::new(Cell::new(0));
        let guard = DropCounter(drops.clone());
        let future = InlineFuture::new(async move {
            YieldOnce(false).await;
            let _guard = guard;
            7
        });
        assert_eq!(run(future), 7);
        assert_eq!(drops.get(), 1);
    }

    #[test]
    fn dropping_before_the_first_poll_and_while_pending_drops_once() {
        let drops = Rc::new(Cell::new(0));
        let guard = DropCounter(drops.clone());
        let future = InlineFuture::new(async move {
            let _guard = guard;
            YieldOnce(false).await;
        });
        drop(future);
        assert_eq!(drops.get(), 1);

        let guard = DropCounter(drops.clone());
        let mut future = Box::pin(InlineFuture::new(async move {
            let _guard = guard;
            YieldOnce(false).await;
        }));
        assert!(poll(future.as_mut()).is_pending());
        assert_eq!(drops.get(), 1);
        drop(future);
        assert_eq!(drops.get(), 2);
    }

    #[test]
    fn a_large_future_is_boxed_and_still_runs_and_drops_once() {
        let drops = Rc::new(Cell::new(0));
        let guard = DropCounter(drops.clone());
        let future = InlineFuture::new(async move {
            let big = [3u8; 4 * INLINE_CAPACITY];
            YieldOnce(false).await;
            let _guard = guard;
            big.iter().map(|&b| u32::from(b)).sum::<u32>()
        });
        assert_eq!(run(future), 3 * 4 * 128);
        assert_eq!(drops.get(), 1);

        let guard = DropCounter(drops.clone());
        let future = InlineFuture::new(async move {
            let big = [0u8; 4 * INLINE_CAPACITY];
            let _guard = guard;
            YieldOnce(false).await;
            big.len()
        });
        drop(future);
        assert_eq!(drops.get(), 2);
    }

    #[test]
    fn an_over_aligned_future_is_boxed_with_its_alignment() {
        let future = InlineFuture::new(async {
            let value = OverAligned(5);
            YieldOnce(false).await;
            let address = core::ptr::from_ref(&value) as usize;
            (value.0, address % 64)
        });
        assert_eq!(run(future), (5, 0));
    }

    #[test]
    fn a_self_referential_future_moved_before_its_first_poll_works() {
        let make = || {
            InlineFuture::new(async {
                let data = [1u32, 2, 3, 4];
                let view = &data[1..];
                YieldOnce(false).await;
                // `view` points into the future's own state, which must not have moved.
                view.iter().sum::<u32>()
            })
        };
        let first = make();
        // Move the (not yet polled) future around: into a Vec, out again, into a Box.
        let mut moved = vec![first];
        let future = moved.pop().unwrap();
        let mut pinned = Box::pin(future);
        assert!(poll(pinned.as_mut()).is_pending());
        assert_eq!(poll(pinned.as_mut()), Poll::Ready(9));
    }

    #[test]
    fn a_panic_in_poll_leaves_a_future_that_drops_once() {
        let drops = Rc::new(Cell::new(0));
        let guard = DropCounter(drops.clone());
        let mut future = Box::pin(InlineFuture::new(async move {
            let _guard = guard;
            YieldOnce(false).await;
            panic!("boom");
        }));
        assert!(poll(future.as_mut()).is_pending());
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _ = poll(future.as_mut());
        }));
        assert!(caught.is_err());
        // The panic unwound through the async block, which dropped `_guard` on its way out.
        assert_eq!(drops.get(), 1);
        drop(future);
        assert_eq!(drops.get(), 1);
    }

    #[test]
    fn zero_sized_futures_and_borrowed_outputs() {
        assert_eq!(run(InlineFuture::new(core::future::ready(()))), ());
        let text = std::string::String::from("borrowed");
        let future: InlineFuture<'_, &str> = InlineFuture::new(async { text.as_str() });
        assert_eq!(run(future), "borrowed");
    }

    /// A future of exactly `N` bytes (alignment 16) that reports where it is polled from.
    #[repr(C, align(16))]
    struct Sized_<const N: usize>([u8; N]);

    impl<const N: usize> Future for Sized_<N> {
        type Output = usize;
        fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<usize> {
            Poll::Ready(core::ptr::from_ref::<Self>(&*self) as usize)
        }
    }

    /// Whether `future`, erased, is polled from inside the `InlineFuture` itself.
    fn polled_inline<F: Future<Output = usize>>(future: F) -> bool {
        let mut erased = Box::pin(InlineFuture::new(future));
        let start = core::ptr::from_ref(&*erased) as usize;
        let end = start + core::mem::size_of::<InlineFuture<'_, usize>>();
        match poll(erased.as_mut()) {
            Poll::Ready(address) => (start..end).contains(&address),
            Poll::Pending => panic!("ready at once"),
        }
    }

    #[test]
    fn the_boundary_is_exact_128_bytes_inline_129_boxed() {
        assert_eq!(core::mem::size_of::<Sized_<128>>(), INLINE_CAPACITY);
        assert!(polled_inline(Sized_::<128>([0; 128])));
        // 129 bytes round up to 144 with alignment 16: boxed.
        assert!(!polled_inline(Sized_::<129>([0; 129])));
        assert!(polled_inline(Sized_::<1>([0; 1])));
    }

    /// A zero-sized future, ready on its second poll.
    struct Zst;

    impl Future for Zst {
        type Output = u8;
        fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u8> {
            // Distinguish the polls without state: the waker is the same, so count globally.
            std::thread_local!(static POLLS: Cell<u8> = const { Cell::new(0) });
            let polls = POLLS.with(|polls| {
                polls.set(polls.get() + 1);
                polls.get()
            });
            if polls == 1 {
                cx.waker().wake_by_ref();
                Poll::Pending
            } else {
                Poll::Ready(polls)
            }
        }
    }

    #[test]
    fn a_zero_sized_future_is_stored_inline() {
        assert_eq!(core::mem::size_of::<Zst>(), 0);
        assert_eq!(run(InlineFuture::new(Zst)), 2);
        assert_eq!(
            run(InlineFuture::new(core::future::pending::<()>().or_ready())),
            ()
        );
    }

    /// Turns `Pending<()>` (zero-sized, never ready) into something that finishes, to run a
    /// zero-sized future through the erased poll and drop.
    trait OrReady: Sized {
        fn or_ready(self) -> OrReadyFuture<Self> {
            OrReadyFuture(self, false)
        }
    }
    impl<F> OrReady for F {}
    struct OrReadyFuture<F>(F, bool);
    impl<F: Future<Output = ()> + Unpin> Future for OrReadyFuture<F> {
        type Output = ();
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            if Pin::new(&mut self.0).poll(cx).is_pending() && !self.1 {
                self.1 = true;
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
            Poll::Ready(())
        }
    }

    /// Panics when dropped, after counting the drop.
    struct PanicOnDrop(Rc<Cell<usize>>);

    impl Drop for PanicOnDrop {
        fn drop(&mut self) {
            self.0.set(self.0.get() + 1);
            panic!("drop");
        }
    }

    #[test]
    fn a_panic_in_the_futures_drop_drops_it_once() {
        fn pending_then_dropped(future: InlineFuture<'_, usize>) {
            let mut future = Box::pin(future);
            assert!(poll(future.as_mut()).is_pending());
            let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| drop(future)));
            assert!(caught.is_err());
        }
        let drops = Rc::new(Cell::new(0));
        let guard = PanicOnDrop(drops.clone());
        pending_then_dropped(InlineFuture::new(async move {
            let _guard = guard;
            YieldOnce(false).await;
            0
        }));
        assert_eq!(drops.get(), 1);
        let guard = PanicOnDrop(drops.clone());
        pending_then_dropped(InlineFuture::new(async move {
            let _guard = guard;
            let big = [1u8; 2 * INLINE_CAPACITY];
            YieldOnce(false).await;
            big.len()
        }));
        assert_eq!(drops.get(), 2);
    }

    #[test]
    fn a_self_referential_future_survives_many_polls_and_a_move_to_another_thread() {
        let future = SendInlineFuture::new(async {
            let data = [1u64, 2, 3, 4];
            let view = &data[1..];
            let mut sum = 0;
            for value in view {
                YieldOnce(false).await;
                sum += value;
            }
            sum
        });
        // Moved (unpolled) to another thread, then polled there through its pin.
        let output = std::thread::spawn(move || run(future)).join().unwrap();
        assert_eq!(output, 9);
    }

    #[test]
    fn send_inline_future_is_send_and_polls_on_another_thread() {
        fn assert_send<T: Send>(value: T) -> T {
            value
        }
        let counter = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let inner = counter.clone();
        let future = assert_send(SendInlineFuture::new(async move {
            YieldOnce(false).await;
            inner.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 41
        }));
        let output = std::thread::spawn(move || run(future)).join().unwrap();
        assert_eq!(output, 41);
        assert_eq!(counter.load(std::sync::atomic::Ordering::SeqCst), 1);
    }
}
