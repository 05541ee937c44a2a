//! The slots an `#[async_scope]` fn keeps its `#[async_drop]` values and `defer_async!`
//! futures in. They live in the fn's future, outside the user's body, so the body can end in
//! any way (value, `return`, `?`, panic) and the epilogue still finds them.
//!
//! The epilogue cleans the slots in reverse order of filling. In most fns no marker sits in a
//! loop, so each slot is filled at most once and the order of filling is the order of the
//! text: the epilogue cleans [`Slot`]s in reverse textual order, with no bookkeeping. When a
//! marker sits in a loop, the order is only known at run time: every fill of an
//! [`OrderedSlot`] takes the next number of the scope's counter, and the epilogue repeatedly
//! cleans the slot holding the highest number ([`latest`]).
//!
//! A slot still holding a value when it is dropped (the fn's future was cancelled) drops it
//! and reports an orphan. A value slot keeps where its binding was written as a closure
//! returning the promoted `&'static Site` (`Slot::new(|| &Site { … })`): a closure that
//! captures nothing has no size, so the slot stores nothing for it, and only that cold path
//! calls it.

use alloc::vec::Vec;
use core::future::{Future, poll_fn};
use core::pin::pin;

use super::orphan::{Orphan, OrphanReport, Site};
use super::send_hint::NeedsAsyncDropSend;
use super::unwind::{self, Outcome, Payload};
use super::{AsyncDrop, AsyncDropSend};

/// The slot of one `#[async_drop]` binding (a `let` or a parameter).
#[derive(Debug)]
pub struct Slot<T, S: Fn() -> &'static Site> {
    value: Option<T>,
    /// Where the binding was written, for the orphan report (see the module's comment).
    site: S,
}

impl<T, S: Fn() -> &'static Site> Slot<T, S> {
    /// An empty slot for the binding written at `site()`.
    #[must_use]
    pub const fn new(site: S) -> Self {
        Slot { value: None, site }
    }

    /// Whether the slot holds a value (filled, and neither cleaned nor disarmed since).
    #[must_use]
    #[inline]
    pub fn is_filled(&self) -> bool {
        self.value.is_some()
    }
}

impl<T, S: Fn() -> &'static Site> Drop for Slot<T, S> {
    #[inline]
    fn drop(&mut self) {
        // Taken only when filled, so that the slot's drop (run on every exit) stays a test
        // and a branch, and the compiler sees the field empty after it.
        if self.is_filled() {
            orphaned(self.value.take(), &self.site);
        }
    }
}

/// The cancellation fallback of a value: its `Drop`, then the orphan report. Out of line and
/// cold (see `Slot`'s drop).
#[cold]
#[inline(never)]
fn orphaned<T, S: Fn() -> &'static Site>(value: Option<T>, site: &S) {
    // Declared first, dropped last: the value's `Drop`, then the hook.
    let _report = OrphanReport::new(Orphan::value::<T>(site()));
    drop(value);
}

/// The slot of a binding in a fn whose fill order is only known at run time (a marker sits in
/// a loop): a [`Slot`] and the counter's value when it was filled.
#[derive(Debug)]
pub struct OrderedSlot<T, S: Fn() -> &'static Site> {
    slot: Slot<T, S>,
    seq: u64,
}

impl<T, S: Fn() -> &'static Site> OrderedSlot<T, S> {
    /// An empty slot for the binding written at `site()`.
    #[must_use]
    pub const fn new(site: S) -> Self {
        OrderedSlot {
            slot: Slot::new(site),
            seq: 0,
        }
    }

    /// The fill number of the value held, 0 when empty.
    #[must_use]
    pub fn latest_seq(&self) -> u64 {
        if self.slot.is_filled() { self.seq } else { 0 }
    }
}

/// Either kind of value slot, for what both do alike (clean up, disarm).
pub trait ValueSlot {
    /// The type of the value held.
    type Value;
    /// Where the binding was written.
    type Site: Fn() -> &'static Site;
    /// The underlying [`Slot`].
    fn slot(&mut self) -> &mut Slot<Self::Value, Self::Site>;
}

impl<T, S: Fn() -> &'static Site> ValueSlot for Slot<T, S> {
    type Value = T;
    type Site = S;
    #[inline]
    fn slot(&mut self) -> &mut Slot<T, S> {
        self
    }
}

impl<T, S: Fn() -> &'static Site> ValueSlot for OrderedSlot<T, S> {
    type Value = T;
    type Site = S;
    #[inline]
    fn slot(&mut self) -> &mut Slot<T, S> {
        &mut self.slot
    }
}

/// The [`Slot`] of either kind of slot, for the clean-up call
/// (`(&mut slot_of(&mut SLOT)).async_drop_slot()`).
#[inline]
pub fn slot_of<V: ValueSlot>(slot: &mut V) -> &mut Slot<V::Value, V::Site> {
    slot.slot()
}

/// `#[async_drop] let name = value;` (or a marked parameter) in a fn whose markers run at
/// most once: stores the value and hands out the `&mut T` the body names. The bound is where
/// a type without `AsyncDrop` is reported, at the user's binding.
#[inline]
pub fn fill<T: AsyncDrop, S: Fn() -> &'static Site>(slot: &mut Slot<T, S>, value: T) -> &mut T {
    // The generated code fills such a slot once; were it not empty, the old value would
    // still get the orphan treatment.
    if slot.is_filled() {
        orphaned(slot.value.take(), &slot.site);
    }
    slot.value.insert(value)
}

/// [`fill`] for an [`OrderedSlot`]: the value takes the next number of the scope's counter.
/// The generated code empties the slot first ([`rebind`]).
pub fn fill_ordered<'a, T: AsyncDrop, S: Fn() -> &'static Site>(
    slot: &'a mut OrderedSlot<T, S>,
    seq: &mut u64,
    value: T,
) -> &'a mut T {
    *seq += 1;
    slot.seq = *seq;
    fill(&mut slot.slot, value)
}

/// A marked `let` running again: holds the new value and guards the slot while its previous
/// value is async-dropped.
/// * The clean-up ends: [`Rebind::finish`] drops the previous value and hands the new one to
///   `fill`.
/// * The clean-up (or the previous value's `Drop`) panics: the previous value is dropped (not
///   cleaned a second time at the fn's end), the new one is stored in the slot, so that the
///   scope's epilogue async-drops it, and the panic resumes.
/// * The fn is cancelled meanwhile (this guard is dropped without `finish`): the previous
///   value stays in the slot, whose own drop gives it the fallback and the orphan report; the
///   new one gets them at once.
#[derive(Debug)]
pub struct Rebind<'a, T, S: Fn() -> &'static Site> {
    slot: &'a mut OrderedSlot<T, S>,
    seq: &'a mut u64,
    new: Option<T>,
}

/// Starts [`Rebind`] for `slot`, holding `new` until the previous value is cleaned.
pub fn rebind<'a, T, S: Fn() -> &'static Site>(
    slot: &'a mut OrderedSlot<T, S>,
    seq: &'a mut u64,
    new: T,
) -> Rebind<'a, T, S> {
    Rebind {
        slot,
        seq,
        new: Some(new),
    }
}

impl<T, S: Fn() -> &'static Site> Rebind<'_, T, S> {
    /// Whether there is a previous value to clean first (the `let` ran before).
    #[must_use]
    pub fn has_previous(&self) -> bool {
        self.slot.slot.is_filled()
    }

    /// The slot, for the clean-up call (`(&mut guard.slot()).async_drop_slot()`).
    pub fn slot(&mut self) -> &mut Slot<T, S> {
        &mut self.slot.slot
    }

    /// The previous value's clean-up ended (`cleaned` says how, see
    /// [`rebind_cleanup`](super::unwind::rebind_cleanup)): drops it, and returns the new value,
    /// or stores the new value and resumes the panic.
    pub fn finish(mut self, cleaned: Result<(), Payload>) -> T {
        let previous = self.slot.slot.value.take();
        let mut panic = cleaned.err();
        unwind::record(&mut panic, unwind::catch_sync(move || drop(previous)));
        // `new` is only taken here or in `drop`, which has not run.
        let Some(new) = self.new.take() else {
            unreachable!("`Rebind` finished twice")
        };
        if let Some(payload) = panic {
            *self.seq += 1;
            self.slot.seq = *self.seq;
            self.slot.slot.value = Some(new);
            unwind::resume(payload);
        }
        new
    }
}

impl<T, S: Fn() -> &'static Site> Drop for Rebind<'_, T, S> {
    fn drop(&mut self) {
        if let Some(new) = self.new.take() {
            // Cancelled while the previous value was cleaned: nothing can be awaited any
            // more. Declared first, dropped last: the value's `Drop`, then the hook.
            let _report = OrphanReport::new(Orphan::value::<T>((self.slot.slot.site)()));
            drop(new);
        }
    }
}

/// `disarm!(name)`: takes the value out of its slot.
///
/// # Panics
///
/// When the value was already taken out by an earlier `disarm!`.
pub fn disarm<V: ValueSlot>(slot: &mut V) -> V::Value {
    match slot.slot().value.take() {
        Some(value) => value,
        None => panic!(
            "`disarm!` of a value that was already disarmed: each `#[async_drop]` value can be \
             taken out once"
        ),
    }
}

/// What a use of an `#[async_drop]` binding after its `disarm!` becomes, next to the error
/// `#[async_scope]` reports there: a `&mut` of the same type, so that the borrow checker adds no
/// second error. Never runs (the fn does not compile).
///
/// # Panics
///
/// If called, as the value was disarmed.
pub fn used_after_disarm<V: ValueSlot>(slot: &mut V) -> &mut V::Value {
    filled(slot.slot())
}

/// After the value's `async_drop` ended (or panicked): drops it synchronously, as an ordinary
/// value, catching a panicking `Drop` like a panicking clean-up. Dropped in place (the
/// assignment drops the old value and empties the slot even if that `Drop` panics), so a
/// large value is not copied out first.
#[inline]
pub fn end_cleanup<V: ValueSlot, R>(slot: &mut V, outcome: &mut Outcome<R>) {
    let slot = slot.slot();
    outcome.record(unwind::catch_sync(|| slot.value = None));
}

// Choosing the clean-up by the value's traits ("autoref specialization"). The epilogue calls
// `(&mut slot_of(&mut SLOT)).async_drop_slot()`, on a filled slot, with the three traits in scope; method lookup tries the
// receiver `&mut &mut Slot<T>` first, then `&mut Slot<T>`, then `&&mut Slot<T>`, so:
// 1. `T: AsyncDropSend + Send` uses `async_drop_send`: a generic `T: AsyncDropSend + Send`
//    keeps the fn's future `Send`;
// 2. otherwise `T: AsyncDrop` uses `async_drop`;
// 3. otherwise a no-op, so that a type without `AsyncDrop` gives one error (at `fill`, at the
//    binding) and not a second one in the epilogue.
// Each returns the value's own clean-up future, with nothing around it.

/// The value of a slot the epilogue found filled.
#[inline]
fn filled<T, S: Fn() -> &'static Site>(slot: &mut Slot<T, S>) -> &mut T {
    match &mut slot.value {
        Some(value) => value,
        None => unreachable!("`#[async_scope]` cleaned an empty slot"),
    }
}

/// Clean-up through [`AsyncDropSend`] (see the comment above).
pub trait AsyncDropSlotSend {
    /// `async_drop_send` of the value held.
    fn async_drop_slot(self) -> impl Future<Output = ()> + Send;
}

// The double reference is the point: it ranks this impl first (see the comment above).
#[allow(clippy::mut_mut)]
impl<T: AsyncDropSend + Send, S: Fn() -> &'static Site> AsyncDropSlotSend for &mut &mut Slot<T, S> {
    #[inline]
    fn async_drop_slot(self) -> impl Future<Output = ()> + Send {
        filled(self).async_drop_send()
    }
}

/// Clean-up through [`AsyncDrop`] (see the comment above).
pub trait AsyncDropSlot {
    /// `async_drop` of the value held, under a name that says what a generic type lacks when
    /// the fn's future is not `Send` because of it.
    fn async_drop_slot(self) -> NeedsAsyncDropSend<impl Future<Output = ()>>;
}

impl<T: AsyncDrop, S: Fn() -> &'static Site> AsyncDropSlot for &mut Slot<T, S> {
    #[inline]
    fn async_drop_slot(self) -> NeedsAsyncDropSend<impl Future<Output = ()>> {
        NeedsAsyncDropSend::new(filled(self).async_drop())
    }
}

/// No clean-up: only reached when `T` lacks `AsyncDrop`, which `fill` already reports.
pub trait AsyncDropSlotFallback {
    /// Does nothing.
    fn async_drop_slot(&self) -> core::future::Ready<()>;
}

impl<T, S: Fn() -> &'static Site> AsyncDropSlotFallback for &mut Slot<T, S> {
    fn async_drop_slot(&self) -> core::future::Ready<()> {
        core::future::ready(())
    }
}

/// The slot of one `defer_async!` site. The first future is stored inline; a site that runs
/// again (in a loop) queues the later ones in a `Vec`, so every scheduled future runs.
#[derive(Debug)]
pub struct DeferSlot<F> {
    first: Option<(u64, F)>,
    more: Vec<(u64, F)>,
    /// Where the `defer_async!` was written, for the orphan report.
    site: &'static Site,
}

impl<F> DeferSlot<F> {
    /// An empty slot for the `defer_async!` written at `site`.
    #[must_use]
    pub const fn new(site: &'static Site) -> Self {
        DeferSlot {
            first: None,
            more: Vec::new(),
            site,
        }
    }

    /// Whether a future is waiting to run.
    #[must_use]
    #[inline]
    pub fn is_filled(&self) -> bool {
        self.first.is_some() || !self.more.is_empty()
    }

    /// The fill number of the latest future held, 0 when empty.
    #[must_use]
    pub fn latest_seq(&self) -> u64 {
        match (self.more.last(), &self.first) {
            (Some((seq, _)), _) | (None, Some((seq, _))) => *seq,
            (None, None) => 0,
        }
    }

    fn pop(&mut self) -> Option<F> {
        match self.more.pop() {
            Some((_, future)) => Some(future),
            None => self.first.take().map(|(_, future)| future),
        }
    }

    /// Takes the latest future out and awaits it. If the fn is cancelled while it runs, the
    /// future is dropped and reported as an orphan like a pending one.
    pub fn run_latest(&mut self) -> impl Future<Output = ()> + use<F>
    where
        F: Future,
    {
        let future = self.pop();
        let site = self.site;
        async move {
            if let Some(future) = future {
                // Declared before the pinned future, so dropped after it.
                let mut report = OrphanReport::new(Orphan::deferred::<F>(site));
                let mut future = pin!(future);
                poll_fn(|cx| report.poll_guarded(future.as_mut(), cx)).await;
                report.disarm();
            }
        }
    }
}

impl<F> Drop for DeferSlot<F> {
    fn drop(&mut self) {
        while let Some(future) = self.pop() {
            let _report = OrphanReport::new(Orphan::deferred::<F>(self.site));
            drop(future);
        }
    }
}

// The epilogue runs a deferred future with `(&mut SLOT).run_deferred()`, chosen like the
// value slots' clean-up: through `RunDeferred` when the slot holds a future, else through the
// no-op fallback, so that a `defer_async!` of something that is not a future gives one error,
// at the `defer_async!` (from `defer`'s bound), and not a second one in the epilogue.

/// Runs the latest deferred future (see the comment above).
pub trait RunDeferred {
    /// [`DeferSlot::run_latest`].
    fn run_deferred(self) -> impl Future<Output = ()>;
}

impl<F: Future> RunDeferred for &mut DeferSlot<F> {
    #[inline]
    fn run_deferred(self) -> impl Future<Output = ()> {
        self.run_latest()
    }
}

/// No deferred future to run: only reached when the slot holds no future, which `defer`
/// already reports.
pub trait RunDeferredFallback {
    /// Does nothing.
    fn run_deferred(&self) -> core::future::Ready<()>;
}

impl<F> RunDeferredFallback for &mut DeferSlot<F> {
    fn run_deferred(&self) -> core::future::Ready<()> {
        core::future::ready(())
    }
}

/// `defer_async!(future)` in a fn whose markers run at most once: schedules `future` for the
/// end of the fn.
#[inline]
pub fn defer_once<F: Future>(slot: &mut DeferSlot<F>, future: F) {
    defer(slot, &mut 0, future);
}

/// `defer_async!(future)` in a fn whose fill order is only known at run time: schedules
/// `future` for the end of the fn, with the next number of the scope's counter.
pub fn defer<F: Future>(slot: &mut DeferSlot<F>, seq: &mut u64, future: F) {
    *seq += 1;
    if slot.first.is_none() && slot.more.is_empty() {
        slot.first = Some((*seq, future));
    } else {
        slot.more.push((*seq, future));
    }
}

/// The index of the slot holding the most recently filled value, if any is filled.
#[must_use]
pub fn latest<const N: usize>(seqs: [u64; N]) -> Option<usize> {
    let mut best: Option<(usize, u64)> = None;
    for (index, seq) in seqs.into_iter().enumerate() {
        if seq != 0 && best.is_none_or(|(_, top)| seq > top) {
            best = Some((index, seq));
        }
    }
    best.map(|(index, _)| index)
}

/// Unifies the slot's type with the new value's before the clean-up method is looked up (the
/// lookup by the value's traits needs the type known). Does nothing at run time.
#[inline(always)]
pub fn same_type<T, S: Fn() -> &'static Site>(_: &OrderedSlot<T, S>, _: &T) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latest_picks_the_highest_filled_number() {
        assert_eq!(latest([]), None);
        assert_eq!(latest([0, 0]), None);
        assert_eq!(latest([3, 0, 5, 4]), Some(2));
        assert_eq!(latest([7, 2]), Some(0));
    }

    static SITE: Site = Site {
        binding: None,
        function: "tests::f",
        file: "slot.rs",
        line: 1,
        column: 1,
    };

    #[test]
    fn a_defer_slot_hands_out_its_futures_newest_first() {
        let mut seq = 0;
        let mut slot = DeferSlot::new(&SITE);
        for value in 1..=3_u8 {
            defer(&mut slot, &mut seq, core::future::ready(value));
        }
        let mut order = alloc::vec::Vec::new();
        while slot.latest_seq() != 0 {
            order.push(slot.latest_seq());
            assert!(slot.pop().is_some());
        }
        assert_eq!(order, [3, 2, 1]);
        assert!(slot.pop().is_none());
    }

    #[test]
    fn disarm_takes_the_value_once() {
        struct Value;
        impl AsyncDrop for Value {
            async fn async_drop(&mut self) {}
        }
        let mut seq = 0;
        let mut slot = OrderedSlot::new(|| &SITE);
        fill_ordered(&mut slot, &mut seq, Value);
        assert_eq!(slot.latest_seq(), 1);
        let Value = disarm(&mut slot);
        assert_eq!(slot.latest_seq(), 0);
        #[cfg(feature = "std")]
        assert!(
            std::panic::catch_unwind(core::panic::AssertUnwindSafe(|| disarm(&mut slot))).is_err()
        );
    }
}
