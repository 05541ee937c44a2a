//! Panic and cancellation safety of every runtime type: the `for await` loop's `Next`,
//! generators, closures' call futures, `#[async_scope]` fns, boxed trait futures and the native
//! companion's inline-stored futures.
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

use async_ext::{
    AsyncDrop, AsyncFnMut, AsyncFnOnce, async_closure, async_scope, async_stream, async_trait_ext,
    defer_async, for_await, stream, try_stream,
};
use async_ext_tests::{Log, poll_once, yield_now};
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

// ---------------------------------------------------------------------------------------
// Generators: `stream!`, `try_stream!`, `#[async_stream]`.

/// Polls a stream once, catching a panic.
fn poll_next_catching<S: Stream + ?Sized>(
    stream: Pin<&mut S>,
) -> Result<Poll<Option<S::Item>>, String> {
    let mut cx = Context::from_waker(std::task::Waker::noop());
    panic::catch_unwind(AssertUnwindSafe(|| stream.poll_next(&mut cx))).map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(ToString::to_string)
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default()
    })
}

/// A generator whose state, items and in-flight values are all tracked: a guard for the whole
/// body, and per item a value held across an await point and the item itself.
fn tracked_generator(
    drops: Drops,
    len: usize,
    panic_at: Option<usize>,
) -> impl Stream<Item = Tracked> {
    stream! {
        let _guard = drops.track();
        for i in 0..len {
            let held = drops.track();
            yield_now().await;
            assert!(panic_at != Some(i), "generator panics at item {i}");
            yield drops.track();
            drop(held);
        }
    }
}

/// The same with the attribute form.
#[async_stream(item = Tracked)]
async fn tracked_attribute_generator(drops: Drops, len: usize, panic_at: Option<usize>) {
    let _guard = drops.track();
    for i in 0..len {
        let held = drops.track();
        yield_now().await;
        assert!(panic_at != Some(i), "generator panics at item {i}");
        yield_!(drops.track());
        drop(held);
    }
}

/// The fallible form: `?` on item `fail_at` ends the stream with an `Err`.
fn tracked_try_generator(
    drops: Drops,
    len: usize,
    fail_at: usize,
) -> impl Stream<Item = Result<Tracked, String>> {
    try_stream! {
        let _guard = drops.track();
        for i in 0..len {
            let held = drops.track();
            yield_now().await;
            let checked: Result<(), String> =
                if i == fail_at { Err(format!("failed at {i}")) } else { Ok(()) };
            checked?;
            yield drops.track();
            drop(held);
        }
    }
}

/// Drives a generator until its body panics; then polls again and drops it, checking the
/// drop counts at each step.
fn panic_then_poll_and_drop<S: Stream<Item = Tracked>>(drops: &Drops, stream: S, panic_at: usize) {
    let mut stream = Box::pin(stream);
    let mut items = 0;
    let error = loop {
        match poll_next_catching(stream.as_mut()) {
            Ok(Poll::Pending) => {}
            Ok(Poll::Ready(Some(item))) => {
                items += 1;
                drop(item);
            }
            Ok(Poll::Ready(None)) => panic!("ended without the panic"),
            Err(error) => break error,
        }
    };
    assert_eq!(error, format!("generator panics at item {panic_at}"));
    assert_eq!(items, panic_at);
    // Unwinding dropped the body's locals: the guard and the held value.
    drops.assert_all_dropped_once();
    // Polling again after the panic panics again (as a native async block does) and touches
    // no freed state.
    let again =
        poll_next_catching(stream.as_mut()).expect_err("a panicked generator stays panicked");
    assert!(again.contains("after panicking"), "{again}");
    drop(stream);
    drops.assert_all_dropped_once();
    // guard + per item reached: held value and item; the panicking item made only `held`.
    assert_eq!(drops.created(), 1 + 2 * panic_at + 1);
}

#[test]
fn generator_panicking_in_its_body_then_polled_and_dropped() {
    for panic_at in 0..3 {
        let drops = Drops::default();
        panic_then_poll_and_drop(
            &drops,
            tracked_generator(drops.clone(), 3, Some(panic_at)),
            panic_at,
        );
        let drops = Drops::default();
        let stream = tracked_attribute_generator(drops.clone(), 3, Some(panic_at));
        panic_then_poll_and_drop(&drops, stream, panic_at);
    }
}

/// Polls a stream `k` times (dropping what it yields), then drops it; for every `k` up to the
/// end. Returns the number of polls of a full run.
fn cancel_stream_at_every_point<S: Stream>(drops: &Drops, make: impl Fn() -> S) -> usize {
    let mut full = 0;
    {
        let mut stream = pin!(make());
        loop {
            full += 1;
            if let Poll::Ready(None) = poll_next_catching(stream.as_mut()).expect("no panic") {
                break;
            }
            assert!(full < 10_000, "the scenario does not end");
        }
    }
    drops.assert_all_dropped_once();
    for k in 0..full {
        let mut stream = Box::pin(make());
        for _ in 0..k {
            let poll = poll_next_catching(stream.as_mut()).expect("no panic");
            assert!(!matches!(poll, Poll::Ready(None)), "ended before poll {k}");
            drop(poll);
        }
        drop(stream);
        drops.assert_all_dropped_once();
    }
    full
}

#[test]
fn generators_cancelled_at_every_await_and_yield() {
    let drops = Drops::default();
    let polls = cancel_stream_at_every_point(&drops, || tracked_generator(drops.clone(), 3, None));
    // Per item: one pending poll (`yield_now`) and one ready; plus the final `None`.
    assert_eq!(polls, 3 * 2 + 1);

    let drops = Drops::default();
    let polls = cancel_stream_at_every_point(&drops, || {
        tracked_attribute_generator(drops.clone(), 3, None)
    });
    assert_eq!(polls, 3 * 2 + 1);

    let drops = Drops::default();
    let polls = cancel_stream_at_every_point(&drops, || tracked_try_generator(drops.clone(), 3, 2));
    // Items 0 and 1 (pending + ready each), item 2 (pending, then the `Err`), then `None`.
    assert_eq!(polls, 2 * 2 + 2 + 1);
}

#[test]
fn try_generator_error_ends_the_stream_and_drops_its_state_once() {
    let drops = Drops::default();
    let mut stream = pin!(tracked_try_generator(drops.clone(), 5, 1));
    let mut seen = Vec::new();
    loop {
        match poll_next_catching(stream.as_mut()).expect("no panic") {
            Poll::Pending => {}
            Poll::Ready(Some(Ok(item))) => seen.push(format!("ok {}", item.id)),
            Poll::Ready(Some(Err(error))) => seen.push(error),
            Poll::Ready(None) => break,
        }
    }
    // ids: 0 guard, 1 held, 2 item, 3 held (then `?`).
    assert_eq!(seen, ["ok 2", "failed at 1"]);
    // The body ended at `?`: its locals are gone before the stream is dropped.
    drops.assert_all_dropped_once();
    assert!(matches!(
        poll_next_catching(stream.as_mut()),
        Ok(Poll::Ready(None))
    ));
}

// ---------------------------------------------------------------------------------------
// Closures: `async_closure!`.

/// A closure with tracked captured state; every call holds a tracked value across an await
/// point and panics before it counts the call when asked to.
fn tracked_closure(drops: &Drops) -> impl AsyncFnMut<(bool,), Output = usize> + '_ {
    async_closure!({ let state = drops.track(); let mut calls = 0usize; }
    async |panic: bool| -> usize {
        let held = drops.track();
        yield_now().await;
        assert!(!panic, "closure body panics");
        calls += 1;
        drop(held);
        // The state is only held for its drop; name it so it is used.
        let _ = &state;
        calls
    })
}

/// Polls a future until it panics, returning the message.
fn poll_until_panic<F: Future + ?Sized>(mut future: Pin<&mut F>) -> String {
    for _ in 0..10_000 {
        match poll_catching(future.as_mut()) {
            Ok(Poll::Pending) => {}
            Ok(Poll::Ready(_)) => panic!("completed instead of panicking"),
            Err(error) => return error,
        }
    }
    panic!("neither completed nor panicked");
}

#[test]
fn closure_call_panicking_then_called_again() {
    let drops = Drops::default();
    let mut closure = tracked_closure(&drops);
    {
        let mut call = Box::pin(closure.call_mut((true,)));
        assert_eq!(poll_until_panic(call.as_mut()), "closure body panics");
        // The call's own state (`held`) is gone; the closure's state lives on.
        assert_eq!(drops.live(), 1);
        let again = poll_catching(call.as_mut()).expect_err("a panicked call stays panicked");
        assert!(again.contains("after panicking"), "{again}");
    }
    // The closure is still usable, and the panicked call did not count.
    assert_eq!(futures::executor::block_on(closure.call_mut((false,))), 1);
    assert_eq!(futures::executor::block_on(closure.call_mut((false,))), 2);
    drop(closure);
    drops.assert_all_dropped_once();
    // state, held of the panicked call, held of the two calls.
    assert_eq!(drops.created(), 4);
}

#[test]
fn closure_call_cancelled_at_every_await_point() {
    let drops = Drops::default();
    let mut closure = tracked_closure(&drops);
    // A call needs two polls (`yield_now`); cancel it after 0 and 1, then call it for real.
    let mut completed = 0;
    for k in 0..2 {
        {
            let mut call = Box::pin(closure.call_mut((false,)));
            for _ in 0..k {
                assert!(poll_once(call.as_mut()).is_pending());
            }
        }
        assert_eq!(
            drops.live(),
            1,
            "only the closure's state is alive after cancelling"
        );
        completed += 1;
        assert_eq!(
            futures::executor::block_on(closure.call_mut((false,))),
            completed
        );
    }
    drop(closure);
    drops.assert_all_dropped_once();
}

#[test]
fn once_closure_panicking_drops_its_captures_once() {
    let drops = Drops::default();
    let closure = async_closure!(once { let owned = drops.track(); }
    async |panic: bool| -> Tracked {
        yield_now().await;
        assert!(!panic, "once closure panics");
        owned
    });
    let mut call = Box::pin(closure.call_once((true,)));
    assert_eq!(poll_until_panic(call.as_mut()), "once closure panics");
    drops.assert_all_dropped_once();
    drop(call);
    drops.assert_all_dropped_once();

    // Cancelled before and after its await point.
    for k in 0..2 {
        let drops = Drops::default();
        let closure = async_closure!(once { let owned = drops.track(); }
        async |unused: bool| -> Tracked {
            yield_now().await;
            let _ = unused;
            owned
        });
        let mut call = Box::pin(closure.call_once((false,)));
        for _ in 0..k {
            assert!(poll_once(call.as_mut()).is_pending());
        }
        drop(call);
        drops.assert_all_dropped_once();
    }
}

// ---------------------------------------------------------------------------------------
// Async drop: `#[async_scope]`, `#[async_drop]`, `defer_async!`.

std::thread_local! {
    /// Orphans reported on this thread (the hook runs where the future is dropped).
    static ORPHANS: std::cell::RefCell<Vec<(bool, &'static str)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

fn install_orphan_counter() {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        async_ext::set_orphan_hook(|orphan| {
            ORPHANS.with(|orphans| {
                orphans
                    .borrow_mut()
                    .push((orphan.is_deferred(), orphan.type_name()));
            });
        });
    });
}

fn take_orphans() -> Vec<(bool, &'static str)> {
    ORPHANS.with(|orphans| std::mem::take(&mut *orphans.borrow_mut()))
}

/// A resource whose async clean-up suspends once; its drop is tracked.
struct Res {
    name: &'static str,
    log: Log,
    _tracked: Tracked,
}

impl Res {
    fn open(name: &'static str, log: &Log, drops: &Drops) -> Self {
        log.push(format!("open {name}"));
        Res {
            name,
            log: log.clone(),
            _tracked: drops.track(),
        }
    }
}

impl AsyncDrop for Res {
    async fn async_drop(&mut self) {
        yield_now().await;
        self.log.push(format!("closed {}", self.name));
    }
}

#[async_scope]
async fn tracked_scope(drops: Drops, log: Log, panic_body: bool) -> u32 {
    #[async_drop]
    let a = Res::open("a", &log, &drops);
    yield_now().await;
    #[async_drop]
    let b = Res::open("b", &log, &drops);
    let deferred_log = log.clone();
    let deferred_guard = drops.track();
    log.push("open defer");
    defer_async!(async move {
        yield_now().await;
        deferred_log.push("closed defer");
        drop(deferred_guard);
    });
    let held = drops.track();
    yield_now().await;
    assert!(!panic_body, "scope body panics");
    drop(held);
    u32::try_from(a.name.len() + b.name.len()).unwrap_or(0)
}

fn count(events: &[String], prefix: &str) -> usize {
    events
        .iter()
        .filter(|event| event.starts_with(prefix))
        .count()
}

#[test]
fn scope_panicking_cleans_up_then_resumes_the_panic() {
    install_orphan_counter();
    let drops = Drops::default();
    let log = Log::default();
    let mut future = Box::pin(tracked_scope(drops.clone(), log.clone(), true));
    assert_eq!(poll_until_panic(future.as_mut()), "scope body panics");
    // Every clean-up ran, in reverse order, before the panic resumed.
    assert_eq!(
        log.events(),
        [
            "open a",
            "open b",
            "open defer",
            "closed defer",
            "closed b",
            "closed a"
        ]
    );
    drops.assert_all_dropped_once();
    assert_eq!(take_orphans(), []);
    // Polled again after the panic: it panics again; dropped: nothing is dropped twice.
    let again = poll_catching(future.as_mut()).expect_err("a panicked scope stays panicked");
    assert!(!again.is_empty());
    drop(future);
    drops.assert_all_dropped_once();
    assert_eq!(take_orphans(), []);
}

#[test]
fn scope_cancelled_at_every_await_point() {
    install_orphan_counter();
    let drops = Drops::default();
    let log = Log::default();
    let full = polls_to_complete(|| tracked_scope(drops.clone(), log.clone(), false));
    drops.assert_all_dropped_once();
    assert_eq!(take_orphans(), []);
    // body: 2 awaits; clean-up: one await each for the defer, b and a; plus the last poll.
    assert_eq!(full, 2 + 3 + 1);
    for k in 0..full {
        let drops = Drops::default();
        let log = Log::default();
        let mut future = Box::pin(tracked_scope(drops.clone(), log.clone(), false));
        for _ in 0..k {
            assert!(poll_once(future.as_mut()).is_pending());
        }
        drop(future);
        drops.assert_all_dropped_once();
        // Each value opened was either cleaned up asynchronously or, exactly once, reported
        // as an orphan after its `Drop`.
        let events = log.events();
        let orphans = take_orphans();
        let values = orphans.iter().filter(|(deferred, _)| !deferred).count();
        let defers = orphans.iter().filter(|(deferred, _)| *deferred).count();
        assert_eq!(
            count(&events, "open a") + count(&events, "open b"),
            count(&events, "closed a") + count(&events, "closed b") + values,
            "k = {k}: {events:?}, {orphans:?}"
        );
        assert_eq!(
            count(&events, "open defer"),
            count(&events, "closed defer") + defers,
            "k = {k}: {events:?}, {orphans:?}"
        );
        assert!(
            orphans
                .iter()
                .all(|(deferred, name)| *deferred || name.ends_with("Res"))
        );
    }
}

// ---------------------------------------------------------------------------------------
// Traits: boxed futures, and the native companion's inline-stored futures.

/// Each call holds a tracked value across an await point and panics when asked to; `big`
/// adds a 512-byte buffer so the companion's future no longer fits inline and is boxed.
#[async_trait_ext(native)]
trait Worker {
    async fn work(&self, panic: bool, big: bool) -> usize;
}

#[async_trait_ext]
trait BoxedWorker {
    async fn work(&self, panic: bool, big: bool) -> usize;
}

struct TrackedWorker(Drops);

impl TrackedWorker {
    async fn body(&self, panic: bool, big: bool) -> usize {
        let held = self.0.track();
        let buffer = [u8::from(big); 512];
        if big {
            yield_now().await;
        }
        yield_now().await;
        assert!(!panic, "trait method panics");
        drop(held);
        usize::from(buffer[0]) + if big { buffer.len() } else { 0 }
    }
}

impl Worker for TrackedWorker {
    async fn work(&self, panic: bool, big: bool) -> usize {
        self.body(panic, big).await
    }
}

#[async_trait_ext]
impl BoxedWorker for TrackedWorker {
    async fn work(&self, panic: bool, big: bool) -> usize {
        self.body(panic, big).await
    }
}

#[test]
fn trait_futures_panicking_then_polled_and_dropped() {
    for big in [false, true] {
        let drops = Drops::default();
        let worker = TrackedWorker(drops.clone());
        let companion = DynWorker::from_ref(&worker);
        // The companion's future is `!Unpin` (it stores the body inline): pin it in a box.
        let mut call = Box::pin(companion.work(true, big));
        assert_eq!(poll_until_panic(call.as_mut()), "trait method panics");
        drops.assert_all_dropped_once();
        assert!(
            poll_catching(call.as_mut()).is_err(),
            "a panicked call stays panicked"
        );
        drop(call);
        drops.assert_all_dropped_once();

        let boxed: &(dyn BoxedWorker + Sync) = &worker;
        let mut call = boxed.work(true, big);
        assert_eq!(poll_until_panic(call.as_mut()), "trait method panics");
        drops.assert_all_dropped_once();
        assert!(poll_catching(call.as_mut()).is_err());
        drop(call);
        drops.assert_all_dropped_once();
        assert_eq!(drops.created(), 2);
    }
}

#[test]
fn trait_futures_cancelled_at_every_await_point() {
    for big in [false, true] {
        let drops = Drops::default();
        let worker = TrackedWorker(drops.clone());
        let companion = DynWorker::from_ref(&worker);
        let polls = cancel_at_every_point(&drops, || companion.work(false, big));
        assert_eq!(polls, if big { 3 } else { 2 });
        let boxed: &(dyn BoxedWorker + Sync) = &worker;
        let polls = cancel_at_every_point(&drops, || boxed.work(false, big));
        assert_eq!(polls, if big { 3 } else { 2 });
    }
}
