//! Panic and cancellation safety of every runtime type.
//!
//! For each one: a panic inside user code (caught), then the value is polled again and dropped;
//! cancellation at every await point of a scenario (poll `k` times, drop, for every `k` up to
//! completion). Drop counters ([`Drops`]) prove that every value made is dropped exactly once:
//! nothing leaks, nothing is dropped twice.

use std::collections::BTreeSet;
use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::pin::{Pin, pin};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use async_ext::for_await;
use async_ext_tests::{poll_once, yield_now};
use futures_core::Stream;

// ---------------------------------------------------------------------------------------
// Drop accounting.

/// Hands out [`Tracked`] values and records their drops.
#[derive(Clone, Default)]
struct Drops(Arc<Mutex<DropState>>);

#[derive(Default)]
struct DropState {
    created: usize,
    live: BTreeSet<usize>,
    dropped: usize,
    dropped_twice: Vec<usize>,
}

/// A value whose drop is counted. `Send`, so it fits in `Send` futures and streams.
#[derive(Debug)]
struct Tracked {
    id: usize,
    drops: Drops,
}

impl std::fmt::Debug for Drops {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = self.state();
        write!(
            f,
            "created {}, dropped {}, live {:?}, dropped twice {:?}",
            state.created, state.dropped, state.live, state.dropped_twice
        )
    }
}

impl Drops {
    fn state(&self) -> std::sync::MutexGuard<'_, DropState> {
        // A panic while the lock is held (there is none: no user code runs under it) must not
        // hide the counts.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn track(&self) -> Tracked {
        let mut state = self.state();
        let id = state.created;
        state.created += 1;
        state.live.insert(id);
        Tracked {
            id,
            drops: self.clone(),
        }
    }

    fn created(&self) -> usize {
        self.state().created
    }

    fn live(&self) -> usize {
        self.state().live.len()
    }

    /// Every value made so far was dropped, each exactly once.
    #[track_caller]
    fn assert_all_dropped_once(&self) {
        let state = self.state();
        assert!(
            state.dropped_twice.is_empty(),
            "dropped twice: {:?}",
            state.dropped_twice
        );
        assert!(
            state.live.is_empty(),
            "leaked (never dropped): {:?}",
            state.live
        );
        assert_eq!(state.dropped, state.created);
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        let mut state = self.drops.state();
        if !state.live.remove(&self.id) {
            state.dropped_twice.push(self.id);
        }
        state.dropped += 1;
    }
}

// ---------------------------------------------------------------------------------------
// A hand-written stream under test control.

/// Yields `len` tracked items, returning `Pending` once before each (so every item is an await
/// point), panicking instead of yielding item `panic_at`. Holds a tracked value of its own, so
/// its own drop is counted too.
struct TrackedStream {
    drops: Drops,
    next: usize,
    len: usize,
    panic_at: Option<usize>,
    ready: bool,
    _own: Tracked,
}

impl TrackedStream {
    fn new(drops: &Drops, len: usize, panic_at: Option<usize>) -> Self {
        TrackedStream {
            drops: drops.clone(),
            next: 0,
            len,
            panic_at,
            ready: false,
            _own: drops.track(),
        }
    }
}

impl Stream for TrackedStream {
    type Item = Tracked;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Tracked>> {
        if self.next == self.len {
            return Poll::Ready(None);
        }
        if !self.ready {
            self.ready = true;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        self.ready = false;
        let index = self.next;
        self.next += 1;
        assert!(
            self.panic_at != Some(index),
            "stream panics at item {index}"
        );
        Poll::Ready(Some(self.drops.track()))
    }
}

// ---------------------------------------------------------------------------------------
// Driving futures by hand.

/// Polls once, catching a panic. `Err` when the poll panicked.
fn poll_catching<F: Future + ?Sized>(future: Pin<&mut F>) -> Result<Poll<F::Output>, String> {
    panic::catch_unwind(AssertUnwindSafe(|| poll_once(future))).map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(ToString::to_string)
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default()
    })
}

/// How many polls `make()`'s future needs to complete (it must not panic).
fn polls_to_complete<F: Future>(make: impl Fn() -> F) -> usize {
    let mut future = pin!(make());
    let mut polls = 0;
    loop {
        polls += 1;
        if poll_once(future.as_mut()).is_ready() {
            return polls;
        }
        assert!(polls < 10_000, "the scenario does not complete");
    }
}

/// Cancellation at every await point: for each `k` below the number of polls the scenario
/// needs, polls a fresh future `k` times and drops it; then checks the drop counts. Returns
/// the number of polls of a full run, so the caller can assert the scenario had await points.
fn cancel_at_every_point<F: Future>(drops: &Drops, make: impl Fn() -> F) -> usize {
    let full = polls_to_complete(&make);
    drops.assert_all_dropped_once();
    for k in 0..full {
        let mut future = Box::pin(make());
        for poll in 0..k {
            assert!(
                poll_once(future.as_mut()).is_pending(),
                "completed early, at poll {poll} of {k}"
            );
        }
        drop(future);
        drops.assert_all_dropped_once();
    }
    full
}

// ---------------------------------------------------------------------------------------
// `for await`: the `Next` future and the rewritten loop.

#[test]
fn next_future_dropped_or_panicking_leaves_the_stream_usable() {
    let drops = Drops::default();
    let mut stream = pin!(TrackedStream::new(&drops, 3, Some(1)));

    // Item 0: the first poll is pending; dropping that `Next` loses nothing.
    let first = async_ext::__private::next(stream.as_mut());
    drop(first);
    let mut next = pin!(async_ext::__private::next(stream.as_mut()));
    assert!(poll_once(next.as_mut()).is_pending());
    let item = match poll_once(next.as_mut()) {
        Poll::Ready(Some(item)) => item,
        other => panic!("expected item 0, got {other:?}"),
    };
    assert_eq!(item.id, 1, "id 0 is the stream's own value");
    drop(item);

    // Item 1 panics inside the user's `poll_next`; the `Next` is dropped after the panic.
    {
        let mut next = pin!(async_ext::__private::next(stream.as_mut()));
        assert!(poll_once(next.as_mut()).is_pending());
        let error = poll_catching(next.as_mut()).expect_err("item 1 panics");
        assert_eq!(error, "stream panics at item 1");
    }
    // A new `Next` on the same stream polls again: the stream goes on with item 2.
    let mut next = pin!(async_ext::__private::next(stream.as_mut()));
    assert!(poll_once(next.as_mut()).is_pending());
    assert!(matches!(poll_once(next.as_mut()), Poll::Ready(Some(_))));
    let mut next = pin!(async_ext::__private::next(stream.as_mut()));
    assert!(matches!(poll_once(next.as_mut()), Poll::Ready(None)));
    assert_eq!(drops.live(), 1, "only the stream itself is alive");
}

#[for_await]
async fn consume(
    drops: Drops,
    len: usize,
    stream_panic: Option<usize>,
    body_panic: Option<usize>,
) -> usize {
    let mut seen = 0;
    let _guard = drops.track();
    #[for_await]
    for item in TrackedStream::new(&drops, len, stream_panic) {
        // A value held across an await point inside the body.
        let held = drops.track();
        yield_now().await;
        assert!(body_panic != Some(seen), "body panics at item {seen}");
        seen += 1;
        drop((item, held));
    }
    seen
}

#[test]
fn for_await_loop_panicking_in_the_body_drops_everything_once() {
    for panic_at in 0..3 {
        let drops = Drops::default();
        let mut future = Box::pin(consume(drops.clone(), 3, None, Some(panic_at)));
        let error = loop {
            match poll_catching(future.as_mut()) {
                Ok(Poll::Pending) => {}
                Ok(Poll::Ready(n)) => panic!("completed with {n} despite the panic"),
                Err(error) => break error,
            }
        };
        assert_eq!(error, format!("body panics at item {panic_at}"));
        // Unwinding dropped the loop's stream, the item, the held value and the guard.
        drops.assert_all_dropped_once();
        // Polling again after the panic panics again (rustc's guard), never touches freed state.
        let again = poll_catching(future.as_mut()).expect_err("a panicked async fn stays panicked");
        assert!(again.contains("after panicking"), "{again}");
        drop(future);
        drops.assert_all_dropped_once();
        // stream (1) + guard (1) + per item reached: item and held value (2 each).
        assert_eq!(drops.created(), 2 + 2 * (panic_at + 1));
    }
}

#[test]
fn for_await_loop_over_a_panicking_stream_drops_everything_once() {
    for panic_at in 0..3 {
        let drops = Drops::default();
        let mut future = Box::pin(consume(drops.clone(), 3, Some(panic_at), None));
        let error = loop {
            match poll_catching(future.as_mut()) {
                Ok(Poll::Pending) => {}
                Ok(Poll::Ready(n)) => panic!("completed with {n} despite the panic"),
                Err(error) => break error,
            }
        };
        assert_eq!(error, format!("stream panics at item {panic_at}"));
        drops.assert_all_dropped_once();
        assert!(poll_catching(future.as_mut()).is_err());
        drop(future);
        drops.assert_all_dropped_once();
        assert_eq!(drops.created(), 2 + 2 * panic_at);
    }
}

#[test]
fn for_await_loop_cancelled_at_every_await_point() {
    let drops = Drops::default();
    let polls = cancel_at_every_point(&drops, || consume(drops.clone(), 3, None, None));
    // Per item: the stream's pending poll and the body's `yield_now`; plus the final poll.
    assert_eq!(polls, 3 * 2 + 1);
}
