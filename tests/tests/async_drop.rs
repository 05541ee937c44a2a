//! Behaviour of async drop: `#[async_scope]` with `#[async_drop]` bindings, `defer_async!`
//! and `disarm!`; `#[derive(AsyncDrop)]`; the container impls; cancellation (the `Drop`
//! fallback and the orphan hook) and `cancel_gracefully`.
//!
//! Every clean-up really suspends (`yield_now`), and every test asserts the order of events.
//! The scenarios run on `futures::executor::block_on`, tokio's current-thread runtime and
//! (spawned, so their futures must be `Send`) tokio's multi-thread runtime.

use std::panic::AssertUnwindSafe;
use std::sync::{Mutex, Once};

use async_ext::{
    AsyncDrop, AsyncDropSend, Cancelled, async_scope, cancel_gracefully, defer_async, disarm,
};
use async_ext_tests::{
    CountingAllocator, Log, count_allocations, panic_message, poll_once, yield_now,
};

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;
use futures::FutureExt;

/// A resource whose async clean-up suspends once and logs `NAME closing` / `NAME closed`.
/// Its `Drop` logs `NAME dropped without clean-up` when the clean-up did not complete.
struct Res {
    name: String,
    log: Log,
    closed: bool,
    panics: bool,
}

impl Res {
    fn new(name: impl Into<String>, log: &Log) -> Self {
        Res {
            name: name.into(),
            log: log.clone(),
            closed: false,
            panics: false,
        }
    }

    fn panicking(name: impl Into<String>, log: &Log) -> Self {
        let mut res = Res::new(name, log);
        res.panics = true;
        res
    }
}

impl AsyncDrop for Res {
    async fn async_drop(&mut self) {
        self.log.push(format!("{} closing", self.name));
        yield_now().await;
        assert!(!self.panics, "{} clean-up panicked", self.name);
        self.log.push(format!("{} closed", self.name));
        self.closed = true;
    }
}

impl AsyncDropSend for Res {
    fn async_drop_send(&mut self) -> impl Future<Output = ()> + Send {
        self.async_drop()
    }
}

impl Drop for Res {
    fn drop(&mut self) {
        if !self.closed {
            self.log
                .push(format!("{} dropped without clean-up", self.name));
        }
    }
}

// ----- exit paths -------------------------------------------------------------------------

#[async_scope]
async fn normal_end_fn(log: Log, #[async_drop] conn: Res) -> u32 {
    #[async_drop]
    let tx = Res::new("tx", &log);
    defer_async!(async {
        yield_now().await;
        log.push("deferred");
    });
    yield_now().await;
    log.push(format!("body uses {} and {}", conn.name, tx.name));
    7
}

async fn normal_end() {
    let log = Log::default();
    let value = normal_end_fn(log.clone(), Res::new("conn", &log)).await;
    assert_eq!(value, 7);
    assert_eq!(
        log.events(),
        [
            "body uses conn and tx",
            "deferred",
            "tx closing",
            "tx closed",
            "conn closing",
            "conn closed",
        ]
    );
}

#[async_scope]
async fn early_return_fn(log: &Log, stop_at: u32) -> Option<u32> {
    #[async_drop]
    let a = Res::new("a", log);
    for i in 0..10 {
        if i == stop_at {
            log.push(format!("return at {i} with {}", a.name));
            return Some(i);
        }
        yield_now().await;
    }
    #[async_drop]
    let _never = Res::new("never", log);
    None
}

async fn early_return() {
    let log = Log::default();
    assert_eq!(early_return_fn(&log, 2).await, Some(2));
    assert_eq!(
        log.events(),
        ["return at 2 with a", "a closing", "a closed"]
    );
}

#[derive(Debug, PartialEq)]
struct LowError(&'static str);

#[derive(Debug, PartialEq)]
enum AppError {
    Low(&'static str),
}

impl From<LowError> for AppError {
    fn from(error: LowError) -> Self {
        AppError::Low(error.0)
    }
}

fn fails(log: &Log) -> Result<Res, LowError> {
    log.push("begin fails");
    Err(LowError("no tx"))
}

#[async_scope]
async fn question_mark_fn(log: &Log) -> Result<u32, AppError> {
    #[async_drop]
    let conn = Res::new("conn", log);
    yield_now().await;
    // `?` on a `Result<_, LowError>` in a fn returning `Result<_, AppError>`: the `From`
    // conversion happens, and a failing `#[async_drop] let` binds nothing.
    #[async_drop]
    let tx = fails(log)?;
    log.push(format!("unreachable {} {}", conn.name, tx.name));
    Ok(0)
}

async fn question_mark_keeps_from() {
    let log = Log::default();
    assert_eq!(question_mark_fn(&log).await, Err(AppError::Low("no tx")));
    assert_eq!(log.events(), ["begin fails", "conn closing", "conn closed"]);
}

#[async_scope]
async fn panics_fn(log: Log) {
    #[async_drop]
    let a = Res::new("a", &log);
    defer_async!(async {
        yield_now().await;
        log.push("deferred");
    });
    #[async_drop]
    let b = Res::new("b", &log);
    yield_now().await;
    log.push(format!("body with {} {}", a.name, b.name));
    panic!("body panicked");
}

async fn panic_runs_cleanup_then_resumes() {
    let log = Log::default();
    let caught = AssertUnwindSafe(panics_fn(log.clone()))
        .catch_unwind()
        .await;
    let payload = caught.expect_err("the panic resumes after the clean-up");
    assert_eq!(panic_message(&*payload), "body panicked");
    assert_eq!(
        log.events(),
        [
            "body with a b",
            "b closing",
            "b closed",
            "deferred",
            "a closing",
            "a closed",
        ]
    );
}

#[async_scope]
async fn panicking_cleanup_fn(log: Log, body_panics: bool) -> u32 {
    #[async_drop]
    let a = Res::new("a", &log);
    #[async_drop]
    let b = Res::panicking("b", &log);
    #[async_drop]
    let c = Res::new("c", &log);
    log.push(format!("body with {} {} {}", a.name, b.name, c.name));
    assert!(!body_panics, "the body panicked first");
    1
}

async fn panicking_cleanup_does_not_skip_others() {
    // The body ends normally; `b`'s clean-up panics: `a` is still cleaned, then the
    // clean-up's panic resumes.
    let log = Log::default();
    let caught = AssertUnwindSafe(panicking_cleanup_fn(log.clone(), false))
        .catch_unwind()
        .await;
    assert_eq!(panic_message(&*caught.unwrap_err()), "b clean-up panicked");
    assert_eq!(
        log.events(),
        [
            "body with a b c",
            "c closing",
            "c closed",
            "b closing",
            "b dropped without clean-up",
            "a closing",
            "a closed",
        ]
    );

    // The body panics and so does a clean-up: the body's panic is the one that resumes.
    let log = Log::default();
    let caught = AssertUnwindSafe(panicking_cleanup_fn(log.clone(), true))
        .catch_unwind()
        .await;
    assert_eq!(
        panic_message(&*caught.unwrap_err()),
        "the body panicked first"
    );
    assert_eq!(
        log.events(),
        [
            "body with a b c",
            "c closing",
            "c closed",
            "b closing",
            "b dropped without clean-up",
            "a closing",
            "a closed",
        ]
    );
}

// ----- loops, order, defer, disarm ---------------------------------------------------------

#[async_scope]
async fn loop_fn(log: &Log) {
    for i in 0..3 {
        #[async_drop]
        let r = Res::new(format!("r{i}"), log);
        log.push(format!("use {}", r.name));
        yield_now().await;
    }
    log.push("loop done");
}

async fn loop_rebinding_drops_the_previous_value() {
    let log = Log::default();
    loop_fn(&log).await;
    assert_eq!(
        log.events(),
        [
            "use r0",
            "r0 closing",
            "r0 closed",
            "use r1",
            "r1 closing",
            "r1 closed",
            "use r2",
            "loop done",
            "r2 closing",
            "r2 closed",
        ]
    );
}

#[async_scope]
async fn rebind_panics_fn(log: &Log) {
    for i in 0..2 {
        #[async_drop]
        let r = if i == 0 {
            Res::panicking("p0", log)
        } else {
            Res::new("r1", log)
        };
        log.push(format!("use {}", r.name));
    }
}

async fn a_panicking_clean_up_on_rebinding_is_not_run_twice() {
    let log = Log::default();
    let caught = AssertUnwindSafe(rebind_panics_fn(&log))
        .catch_unwind()
        .await;
    assert_eq!(panic_message(&*caught.unwrap_err()), "p0 clean-up panicked");
    assert_eq!(
        log.events(),
        [
            "use p0",
            "p0 closing",
            "p0 dropped without clean-up",
            // The new value was made before the old one's clean-up panicked: it is not
            // dropped as a plain local but stored, and cleaned at the fn's end.
            "r1 closing",
            "r1 closed",
        ]
    );
}

#[async_scope]
async fn fill_order_fn(log: &Log) {
    // `x` comes first in the text but is filled last: it is cleaned first.
    for i in 0..2 {
        if i == 1 {
            #[async_drop]
            let x = Res::new("x", log);
            log.push(format!("bound {}", x.name));
        } else {
            #[async_drop]
            let y = Res::new("y", log);
            log.push(format!("bound {}", y.name));
        }
    }
}

async fn cleanup_follows_fill_order_not_text_order() {
    let log = Log::default();
    fill_order_fn(&log).await;
    assert_eq!(
        log.events(),
        [
            "bound y",
            "bound x",
            "x closing",
            "x closed",
            "y closing",
            "y closed",
        ]
    );
}

#[async_scope]
async fn same_name_twice_fn(log: &Log) {
    #[async_drop]
    let r = Res::new("outer r", log);
    {
        #[async_drop]
        let r = Res::new("inner r", log);
        log.push(format!("bound {}", r.name));
    }
    log.push(format!("bound {}", r.name));
}

/// Two marked bindings with one name (in nested blocks) have a slot each.
async fn same_name_in_two_blocks_gets_two_slots() {
    let log = Log::default();
    same_name_twice_fn(&log).await;
    assert_eq!(
        log.events(),
        [
            "bound inner r",
            "bound outer r",
            "inner r closing",
            "inner r closed",
            "outer r closing",
            "outer r closed",
        ]
    );
}

#[async_scope]
async fn defer_loop_fn(log: &Log) {
    for i in 0..3 {
        defer_async!(async move {
            yield_now().await;
            log.push(format!("deferred {i}"));
        });
    }
    log.push("body done");
}

async fn defer_in_a_loop_runs_every_future_in_reverse() {
    let log = Log::default();
    defer_loop_fn(&log).await;
    assert_eq!(
        log.events(),
        ["body done", "deferred 2", "deferred 1", "deferred 0"]
    );
}

#[async_scope]
async fn disarm_fn(log: &Log, #[async_drop] kept: Res) -> Res {
    #[async_drop]
    let taken = Res::new("taken", log);
    taken.name.push_str(" (moved out)");
    log.push(format!("body with {}", kept.name));
    disarm!(taken)
}

#[async_scope]
async fn disarm_twice_fn(log: &Log) {
    #[async_drop]
    let once = Res::new("once", log);
    log.push(format!("has {}", once.name));
    let first = disarm!(once);
    drop(first);
    let _second = disarm!(once);
}

async fn disarm_takes_the_value_out() {
    let log = Log::default();
    let mut taken = disarm_fn(&log, Res::new("kept", &log)).await;
    assert_eq!(taken.name, "taken (moved out)");
    assert_eq!(
        log.events(),
        ["body with kept", "kept closing", "kept closed"]
    );
    taken.closed = true; // not cleaned by the scope: the caller owns it now

    let log = Log::default();
    let caught = AssertUnwindSafe(disarm_twice_fn(&log)).catch_unwind().await;
    let text = panic_message(&*caught.unwrap_err());
    assert!(text.contains("already disarmed"), "{text}");
    assert_eq!(log.events(), ["has once", "once dropped without clean-up"]);
}

// ----- the derive and the container impls ---------------------------------------------------

#[derive(AsyncDrop)]
#[async_drop(hook = Self::flush)]
struct Session {
    log: Log,
    #[async_drop]
    first: Res,
    not_marked: Res,
    #[async_drop]
    many: Vec<Res>,
    #[async_drop]
    maybe: Option<Res>,
    #[async_drop]
    nothing: Option<Res>,
    #[async_drop]
    boxed: Box<Res>,
    #[async_drop]
    pair: (Res, Res),
    #[async_drop]
    array: [Res; 2],
}

impl Session {
    async fn flush(&mut self) {
        self.log.push("hook flush");
        yield_now().await;
        self.log.push("hook flushed");
    }
}

#[derive(AsyncDrop)]
#[async_drop(send)]
enum Link {
    Idle,
    Tuple(u8, #[async_drop] Res),
    Named {
        #[async_drop]
        a: Res,
        skipped: u8,
        #[async_drop]
        b: Res,
    },
}

#[derive(AsyncDrop)]
#[async_drop(send)]
struct Wrapper<T> {
    #[async_drop]
    inner: T,
}

fn closing_events(names: &[&str]) -> Vec<String> {
    names
        .iter()
        .flat_map(|name| [format!("{name} closing"), format!("{name} closed")])
        .collect()
}

async fn derive_runs_hook_then_fields_in_order() {
    let log = Log::default();
    let r = |name: &str| Res::new(name, &log);
    let mut session = Session {
        log: log.clone(),
        first: r("first"),
        not_marked: r("not_marked"),
        many: vec![r("many0"), r("many1")],
        maybe: Some(r("maybe")),
        nothing: None,
        boxed: Box::new(r("boxed")),
        pair: (r("pair0"), r("pair1")),
        array: [r("array0"), r("array1")],
    };
    session.async_drop().await;
    let mut expected = vec!["hook flush".to_owned(), "hook flushed".to_owned()];
    expected.extend(closing_events(&[
        "first", "many0", "many1", "maybe", "boxed", "pair0", "pair1", "array0", "array1",
    ]));
    assert_eq!(log.events(), expected);
    assert_eq!(session.not_marked.name, "not_marked");
    drop(session);
    expected.push("not_marked dropped without clean-up".to_owned());
    assert_eq!(log.events(), expected);

    let log = Log::default();
    let mut links = vec![
        Link::Idle,
        Link::Tuple(1, Res::new("tuple", &log)),
        Link::Named {
            a: Res::new("a", &log),
            skipped: 0,
            b: Res::new("b", &log),
        },
    ];
    // Through `AsyncDropSend`: the derive's `send` option, and `Vec`'s impl of it.
    links.async_drop_send().await;
    assert_eq!(log.events(), closing_events(&["tuple", "a", "b"]));
    if let Link::Named { skipped, .. } | Link::Tuple(skipped, _) = &links[2] {
        assert_eq!(*skipped, 0);
    }
}

// ----- Send and generic code ----------------------------------------------------------------

#[async_scope]
async fn generic_scope<T: AsyncDropSend + Send>(#[async_drop] value: T, log: Log) -> usize {
    #[async_drop]
    let second = Wrapper {
        inner: Res::new("second", &log),
    };
    yield_now().await;
    log.push(format!("generic body {}", second.inner.name));
    std::mem::size_of_val(value)
}

fn assert_send<F: Future + Send>(future: F) -> F {
    future
}

async fn generic_send_scope() {
    let log = Log::default();
    let value = Wrapper {
        inner: Res::new("value", &log),
    };
    let size = assert_send(generic_scope(value, log.clone())).await;
    assert_eq!(size, std::mem::size_of::<Wrapper<Res>>());
    assert_eq!(
        log.events(),
        [
            "generic body second",
            "second closing",
            "second closed",
            "value closing",
            "value closed",
        ]
    );
}

// ----- methods, `#[for_await]`, `crate = …` ----------------------------------------------------

struct Service {
    log: Log,
    calls: u32,
}

impl Service {
    #[async_scope]
    async fn handle(&mut self, #[async_drop] conn: Res) -> u32 {
        self.calls += 1;
        #[async_drop]
        let tx = Res::new("tx", &self.log);
        yield_now().await;
        self.log.push(format!(
            "call {} with {} {}",
            self.calls, conn.name, tx.name
        ));
        self.calls
    }

    #[async_scope(crate = ::async_ext)]
    async fn total(&self, items: Vec<u32>) -> u32 {
        #[async_drop]
        let guard = Res::new("guard", &self.log);
        let mut sum = 0;
        #[async_ext::for_await]
        for item in futures::stream::iter(items) {
            yield_now().await;
            sum += item;
        }
        self.log.push(format!("sum {sum} under {}", guard.name));
        sum
    }
}

async fn methods_and_for_await() {
    let log = Log::default();
    let mut service = Service {
        log: log.clone(),
        calls: 0,
    };
    assert_eq!(service.handle(Res::new("conn", &log)).await, 1);
    assert_eq!(service.total(vec![1, 2, 3]).await, 6);
    assert_eq!(
        log.events(),
        [
            "call 1 with conn tx",
            "tx closing",
            "tx closed",
            "conn closing",
            "conn closed",
            "sum 6 under guard",
            "guard closing",
            "guard closed",
        ]
    );
}

// ----- signatures ------------------------------------------------------------------------

mod signatures {
    use super::{AsyncDrop, Log, Res, async_scope, yield_now};
    use std::fmt::Display;

    #[async_scope]
    pub(super) async fn borrowed<'a>(text: &'a str, #[async_drop] mut res: Res) -> &'a str {
        res.name.push('!');
        yield_now().await;
        &text[..1]
    }

    #[async_scope]
    pub(super) async fn elided(text: &str, log: Log) -> &str {
        #[async_drop]
        #[allow(clippy::let_and_return)] // other attributes stay on the `let`
        let typed: Res = Res::new("typed", &log);
        let _ = typed;
        text.trim()
    }

    #[async_scope]
    pub(super) async fn opaque(log: &Log) -> impl Display + use<> {
        #[async_drop]
        let res = Res::new("opaque", log);
        format!("shown by {}", res.name)
    }

    #[async_scope]
    pub(super) async fn boxed_error(
        log: &Log,
        text: &str,
    ) -> Result<u32, Box<dyn std::error::Error + Send + Sync>> {
        #[async_drop]
        let res = Res::new("parse", log);
        let _ = res;
        Ok(text.parse::<u32>()?)
    }

    #[async_scope]
    pub(super) async fn generic_not_send<T: AsyncDrop>(#[async_drop] value: T, log: &Log) {
        let _ = value;
        log.push("generic body");
    }

    #[async_scope]
    pub(super) async fn opaque_param(#[async_drop] value: impl AsyncDrop, log: &Log) {
        let _ = value;
        log.push("opaque param");
    }

    #[async_scope]
    pub(super) async fn joined(log: &Log) -> (u32, u32) {
        #[async_drop]
        let res = Res::new("joined", log);
        let _ = res;
        futures::join!(
            async {
                yield_now().await;
                1
            },
            async { 2 }
        )
    }
}

async fn every_kind_of_signature() {
    let log = Log::default();
    assert_eq!(
        signatures::borrowed("hello", Res::new("res", &log)).await,
        "h"
    );
    assert_eq!(log.events(), ["res! closing", "res! closed"]);

    let log = Log::default();
    assert_eq!(signatures::elided(" x ", log.clone()).await, "x");
    assert_eq!(
        signatures::opaque(&log).await.to_string(),
        "shown by opaque"
    );
    let error = signatures::boxed_error(&log, "nope")
        .await
        .unwrap_err()
        .to_string();
    assert_eq!(error, "invalid digit found in string");
    assert_eq!(signatures::boxed_error(&log, "12").await.unwrap(), 12);
    signatures::generic_not_send(Res::new("generic", &log), &log).await;
    signatures::opaque_param(Res::new("impl", &log), &log).await;
    assert_eq!(signatures::joined(&log).await, (1, 2));
    assert_eq!(
        log.events(),
        closing_events(&["typed", "opaque", "parse", "parse"])
            .into_iter()
            .chain(["generic body".to_owned()])
            .chain(closing_events(&["generic"]))
            .chain(["opaque param".to_owned()])
            .chain(closing_events(&["impl", "joined"]))
            .collect::<Vec<_>>()
    );
}

// ----- allocations ---------------------------------------------------------------------------

/// A value whose clean-up suspends and counts, without allocating.
struct Counted<'a>(&'a std::sync::atomic::AtomicUsize);

impl AsyncDrop for Counted<'_> {
    async fn async_drop(&mut self) {
        yield_now().await;
        self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
}

#[async_scope]
async fn counted_scope(
    #[async_drop] first: Counted<'_>,
    count: &std::sync::atomic::AtomicUsize,
) -> usize {
    #[async_drop]
    let second = Counted(count);
    defer_async!(async {
        yield_now().await;
        count.fetch_add(10, std::sync::atomic::Ordering::Relaxed);
    });
    yield_now().await;
    let _ = (first, second);
    count.load(std::sync::atomic::Ordering::Relaxed)
}

#[test]
fn a_scope_allocates_nothing() {
    let count = std::sync::atomic::AtomicUsize::new(0);
    let (seen_in_body, allocations) = count_allocations(|| {
        let mut future = std::pin::pin!(counted_scope(Counted(&count), &count));
        loop {
            if let std::task::Poll::Ready(value) = poll_once(future.as_mut()) {
                break value;
            }
        }
    });
    assert_eq!(seen_in_body, 0);
    assert_eq!(count.load(std::sync::atomic::Ordering::Relaxed), 12);
    assert_eq!(allocations, 0);
}

// ----- hygiene ---------------------------------------------------------------------------

/// Generated code names only absolute paths and hidden locals: user items called `core`,
/// `Option`, `Some`, `u64`, `Box` or like the hidden locals change nothing.
#[allow(
    non_camel_case_types,
    non_upper_case_globals,
    dead_code,
    clippy::pedantic
)]
mod hygiene {
    use super::{AsyncDrop, Log, Res, async_scope, defer_async, yield_now};

    mod core {}
    struct Option;
    struct Some;
    struct None;
    struct u64;
    struct usize;
    struct Box;
    struct Future;
    struct Slot;
    // Constants a pattern could be mistaken for, with the plain names a macro might pick.
    const value: () = ();
    const seq: () = ();
    const slot: () = ();
    const body: () = ();
    const outcome: () = ();
    const panic: () = ();

    #[derive(AsyncDrop)]
    #[async_drop(send)]
    enum Wrapped {
        Res(#[async_drop] Res),
    }

    #[async_scope]
    pub(super) async fn shadowed(log: &Log) -> ::core::option::Option<u8> {
        #[async_drop]
        let wrapped = Wrapped::Res(Res::new("wrapped", log));
        defer_async!(async {
            log.push("deferred");
        });
        yield_now().await;
        let Wrapped::Res(inner) = wrapped;
        log.push(format!("body {}", inner.name));
        ::core::option::Option::Some(1)
    }
}

async fn generated_code_is_hygienic() {
    let log = Log::default();
    assert_eq!(hygiene::shadowed(&log).await, Some(1));
    assert_eq!(
        log.events(),
        [
            "body wrapped",
            "deferred",
            "wrapped closing",
            "wrapped closed"
        ]
    );
}

// ----- every scenario on every executor -----------------------------------------------------

macro_rules! on_every_executor {
    ($($scenario:ident),* $(,)?) => {
        mod block_on {
            $(
                #[test]
                fn $scenario() {
                    futures::executor::block_on(super::$scenario());
                }
            )*
        }

        mod tokio_current_thread {
            $(
                #[test]
                fn $scenario() {
                    tokio::runtime::Builder::new_current_thread()
                        .build()
                        .unwrap()
                        .block_on(super::$scenario());
                }
            )*
        }

        mod tokio_multi_thread {
            $(
                #[test]
                fn $scenario() {
                    let runtime = tokio::runtime::Builder::new_multi_thread()
                        .worker_threads(2)
                        .build()
                        .unwrap();
                    // Spawned: the scenario's future (and so every scope in it) is `Send`.
                    runtime
                        .block_on(async { tokio::spawn(super::$scenario()).await })
                        .unwrap();
                }
            )*
        }
    };
}

on_every_executor!(
    normal_end,
    early_return,
    question_mark_keeps_from,
    panic_runs_cleanup_then_resumes,
    panicking_cleanup_does_not_skip_others,
    loop_rebinding_drops_the_previous_value,
    a_panicking_clean_up_on_rebinding_is_not_run_twice,
    cleanup_follows_fill_order_not_text_order,
    same_name_in_two_blocks_gets_two_slots,
    defer_in_a_loop_runs_every_future_in_reverse,
    disarm_takes_the_value_out,
    derive_runs_hook_then_fields_in_order,
    generic_send_scope,
    methods_and_for_await,
    generated_code_is_hygienic,
    every_kind_of_signature,
    graceful_cancellation_cleans_nested_scopes_inside_out,
    containers_clean_up_their_elements_in_order,
);

#[test]
fn panic_is_observed_through_a_join_handle() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    let log = Log::default();
    let error = runtime
        .block_on(async { tokio::spawn(panics_fn(log.clone())).await })
        .expect_err("the task panicked");
    assert!(error.is_panic());
    assert_eq!(panic_message(&*error.into_panic()), "body panicked");
    assert_eq!(
        log.events(),
        [
            "body with a b",
            "b closing",
            "b closed",
            "deferred",
            "a closing",
            "a closed",
        ]
    );
}

#[test]
fn generic_scope_is_spawned_on_a_multi_thread_runtime() {
    fn spawn_generic<T: AsyncDropSend + Send + 'static>(
        value: T,
        log: Log,
    ) -> tokio::task::JoinHandle<usize> {
        tokio::spawn(generic_scope(value, log))
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    let log = Log::default();
    let size = runtime
        .block_on(async { spawn_generic(Res::new("value", &log), log.clone()).await })
        .unwrap();
    assert_eq!(size, std::mem::size_of::<Res>());
    assert_eq!(
        log.events(),
        [
            "generic body second",
            "second closing",
            "second closed",
            "value closing",
            "value closed",
        ]
    );
}

// ----- cancellation -------------------------------------------------------------------------

/// Every orphan the hook saw, as `orphan TYPE`, next to the `Drop`s of [`Tagged`] values, so
/// a test can assert that the fallback `Drop` came first. Process-wide, like the hook: each
/// test filters by its own tag.
static EVENTS: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn install_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        async_ext::set_orphan_hook(|orphan| {
            let kind = if orphan.is_deferred() {
                "deferred"
            } else {
                "value"
            };
            EVENTS
                .lock()
                .unwrap()
                .push(format!("orphan {kind} {}", orphan.type_name()));
        });
    });
}

fn events_with(tag: &str) -> Vec<String> {
    EVENTS
        .lock()
        .unwrap()
        .iter()
        .filter(|event| event.contains(tag))
        .cloned()
        .collect()
}

/// A value with its own type per test (`Tagged<N>`), so the process-wide hook's reports can
/// be told apart.
struct Tagged<const N: usize>;

impl<const N: usize> AsyncDrop for Tagged<N> {
    async fn async_drop(&mut self) {
        yield_now().await;
        EVENTS.lock().unwrap().push(format!("cleaned Tagged<{N}>"));
    }
}

impl<const N: usize> Drop for Tagged<N> {
    fn drop(&mut self) {
        EVENTS.lock().unwrap().push(format!("drop Tagged<{N}>"));
    }
}

/// Logs when dropped: shows that a pending `defer_async!` future got its own `Drop`.
struct DropFlag(&'static str);

impl Drop for DropFlag {
    fn drop(&mut self) {
        EVENTS.lock().unwrap().push(format!("drop {}", self.0));
    }
}

#[async_scope]
async fn cancellable(#[async_drop] param: Tagged<1>) {
    #[async_drop]
    let local = Tagged::<2>;
    let flag = DropFlag("cancel-defer");
    defer_async!(async move {
        let _flag = flag;
        yield_now().await;
    });
    yield_now().await;
    let _ = (param, local);
    unreachable!("cancelled at the first suspension");
}

#[test]
fn cancellation_after_one_poll_drops_and_reports_each_value() {
    install_hook();
    let mut future = Box::pin(cancellable(Tagged::<1>));
    assert!(poll_once(future.as_mut()).is_pending());
    drop(future);
    // Reverse order of declaration; each value's `Drop` first, then the hook, once.
    assert_eq!(
        events_with("Tagged<2>"),
        ["drop Tagged<2>", "orphan value async_drop::Tagged<2>"]
    );
    assert_eq!(
        events_with("Tagged<1>"),
        ["drop Tagged<1>", "orphan value async_drop::Tagged<1>"]
    );
    let defer_events: Vec<String> = events_with("cancel")
        .into_iter()
        .filter(|event| !event.contains("Tagged"))
        .collect();
    assert_eq!(defer_events.len(), 2, "{defer_events:?}");
    assert_eq!(defer_events[0], "drop cancel-defer");
    assert!(
        defer_events[1].starts_with("orphan deferred async_drop::cancellable"),
        "{defer_events:?}"
    );
}

#[async_scope]
async fn cancelled_during_cleanup(#[async_drop] param: Tagged<3>, #[async_drop] other: Tagged<4>) {
    let _ = (param, other);
}

#[test]
fn cancellation_during_a_cleanup_reports_the_values_left() {
    install_hook();
    let mut future = Box::pin(cancelled_during_cleanup(Tagged::<3>, Tagged::<4>));
    // The body ends at once; `other`'s clean-up suspends in its `yield_now`.
    assert!(poll_once(future.as_mut()).is_pending());
    drop(future);
    assert_eq!(
        events_with("Tagged<4>"),
        ["drop Tagged<4>", "orphan value async_drop::Tagged<4>"]
    );
    assert_eq!(
        events_with("Tagged<3>"),
        ["drop Tagged<3>", "orphan value async_drop::Tagged<3>"]
    );
}

#[async_scope]
async fn waits_forever(#[async_drop] first: Tagged<6>) {
    #[async_drop]
    let second = Tagged::<7>;
    let _ = (first, second);
    std::future::pending::<()>().await;
}

#[test]
fn a_select_loser_gets_the_fallback_and_the_hook() {
    install_hook();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let winner = runtime.block_on(async {
        tokio::select! {
            biased;
            () = waits_forever(Tagged::<6>) => "scope",
            () = yield_now() => "other branch",
        }
    });
    assert_eq!(winner, "other branch");
    assert_eq!(
        events_with("Tagged<7>"),
        ["drop Tagged<7>", "orphan value async_drop::Tagged<7>"]
    );
    assert_eq!(
        events_with("Tagged<6>"),
        ["drop Tagged<6>", "orphan value async_drop::Tagged<6>"]
    );
}

#[test]
fn no_orphan_when_the_scope_ends() {
    install_hook();
    futures::executor::block_on(ends_normally());
    assert_eq!(
        events_with("Tagged<5>"),
        ["cleaned Tagged<5>", "drop Tagged<5>"]
    );
}

#[async_scope]
async fn ends_normally() {
    #[async_drop]
    let value = Tagged::<5>;
    let _ = value;
}

// ----- graceful cancellation ----------------------------------------------------------------

#[async_scope]
async fn inner_scope(log: &Log) -> u32 {
    #[async_drop]
    let inner = Res::new("inner", log);
    defer_async!(async {
        yield_now().await;
        log.push("inner deferred");
    });
    log.push(format!("{} waits", inner.name));
    std::future::pending::<()>().await;
    unreachable!()
}

#[async_scope]
async fn outer_scope(log: &Log) -> u32 {
    #[async_drop]
    let outer = Res::new("outer", log);
    log.push(format!("{} calls inner", outer.name));
    let value = inner_scope(log).await;
    log.push("outer resumed");
    value
}

/// What the nested scopes of `outer_scope` log when cancelled gracefully while the inner one
/// waits: every clean-up runs, innermost first.
const NESTED_SCOPES_CANCELLED: [&str; 7] = [
    "outer calls inner",
    "inner waits",
    "inner deferred",
    "inner closing",
    "inner closed",
    "outer closing",
    "outer closed",
];

async fn graceful_cancellation_cleans_nested_scopes_inside_out() {
    let log = Log::default();
    let signal = async {
        for _ in 0..3 {
            yield_now().await;
        }
    };
    let result = cancel_gracefully(outer_scope(&log), signal).await;
    assert_eq!(result, Err(Cancelled));
    assert_eq!(log.events(), NESTED_SCOPES_CANCELLED);

    // A future that ends before the signal gives its value.
    let log = Log::default();
    let result = cancel_gracefully(early_return_fn(&log, 1), std::future::pending::<()>()).await;
    assert_eq!(result, Ok(Some(1)));
    assert_eq!(
        log.events(),
        ["return at 1 with a", "a closing", "a closed"]
    );

    // Outside any scope, the future is dropped at its next suspension.
    let result = cancel_gracefully(std::future::pending::<u8>(), std::future::ready(())).await;
    assert_eq!(result, Err(Cancelled));
}

// ----- the graceful forms of a timeout, a `select!` loser and an aborted task ---------------

#[async_scope]
async fn serve_until_cancelled(log: Log) -> u32 {
    #[async_drop]
    let conn = Res::new("conn", &log);
    defer_async!(async {
        yield_now().await;
        log.push("metrics flushed");
    });
    log.push(format!("{} serving", conn.name));
    std::future::pending::<()>().await;
    7
}

/// What `serve_until_cancelled` logs when it is cancelled with its clean-up.
const SERVED_THEN_CLEANED: [&str; 4] = [
    "conn serving",
    "metrics flushed",
    "conn closing",
    "conn closed",
];

fn current_thread() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap()
}

/// `select!` over `&mut` a pinned future leaves the loser alive; `cancel_now` then cleans its
/// nested scopes inside out.
#[test]
fn a_select_loser_cancelled_now_keeps_its_clean_up() {
    let log = Log::default();
    let (winner, loser) = current_thread().block_on(async {
        let mut work = std::pin::pin!(outer_scope(&log));
        let winner = tokio::select! {
            value = &mut work => value,
            () = async { for _ in 0..3 { yield_now().await } } => 0,
        };
        (winner, async_ext::cancel_now(work).await)
    });
    assert_eq!((winner, loser), (0, Err(Cancelled)));
    assert_eq!(log.events(), NESTED_SCOPES_CANCELLED);

    // A future that ends on its own while it is cancelled gives its value.
    let log = Log::default();
    let ended = futures::executor::block_on(async_ext::cancel_now(early_return_fn(&log, 0)));
    assert_eq!(ended, Ok(Some(0)));
    assert_eq!(
        log.events(),
        ["return at 0 with a", "a closing", "a closed"]
    );
}

/// `timeout` drops the future; `cancel_gracefully` with the same sleep as its signal does not.
#[test]
fn a_timeout_as_a_signal_keeps_the_clean_up() {
    let log = Log::default();
    let result = current_thread().block_on(async {
        let timeout = tokio::time::sleep(std::time::Duration::from_millis(1));
        cancel_gracefully(serve_until_cancelled(log.clone()), timeout).await
    });
    assert_eq!(result, Err(Cancelled));
    assert_eq!(log.events(), SERVED_THEN_CLEANED);
}

/// The task of `abortable_gracefully`, spawned on a multi-thread runtime and aborted through
/// its handle (from another task), is cleaned up and ends with `Err(Cancelled)`.
#[test]
fn an_abort_handle_cancels_a_spawned_task_gracefully() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    let log = Log::default();
    let (result, aborted) = runtime.block_on(async {
        let (task, abort) = async_ext::abortable_gracefully(serve_until_cancelled(log.clone()));
        let join = tokio::spawn(task);
        while log.events().is_empty() {
            tokio::task::yield_now().await;
        }
        assert!(!abort.is_aborted());
        let other = abort.clone();
        tokio::spawn(async move { other.abort() }).await.unwrap();
        abort.abort(); // a second abort changes nothing
        (join.await.unwrap(), abort.is_aborted())
    });
    assert_eq!((result, aborted), (Err(Cancelled), true));
    assert_eq!(log.events(), SERVED_THEN_CLEANED);

    // Aborted before its first poll: the scope still starts, then is cleaned up.
    let log = Log::default();
    let (task, abort) = async_ext::abortable_gracefully(serve_until_cancelled(log.clone()));
    abort.abort();
    let join = runtime.spawn(task);
    assert_eq!(runtime.block_on(join).unwrap(), Err(Cancelled));
    assert_eq!(log.events(), SERVED_THEN_CLEANED);

    // A future that ends first gives its value; aborting afterwards changes nothing.
    let log = Log::default();
    let (task, abort) = async_ext::abortable_gracefully(early_return_fn(&log, 2));
    assert_eq!(futures::executor::block_on(task), Ok(Some(2)));
    abort.abort();
    assert_eq!(
        log.events(),
        ["return at 2 with a", "a closing", "a closed"]
    );
}

// ----- scopes on methods of #[async_trait_ext] impls --------------------------------------

/// `#[async_trait_ext]` expands before `#[async_scope]`, so it applies the scope to a marked
/// method itself (boxed mode); native impls are plain and `#[async_scope]` expands as usual.
#[cfg(feature = "traits")]
mod trait_methods {
    use super::{Log, Res, async_scope, yield_now};
    use async_ext::{async_trait_ext, defer_async};
    use futures::stream;

    #[async_trait_ext]
    pub(super) trait Handler {
        async fn handle(&self, conn: Res, ok: bool) -> Result<u32, String>;
    }

    pub(super) struct Boxed(pub(super) Log);

    #[async_trait_ext]
    impl Handler for Boxed {
        #[async_scope]
        async fn handle(&self, #[async_drop] conn: Res, ok: bool) -> Result<u32, String> {
            let log = self.0.clone();
            defer_async!(async move {
                yield_now().await;
                log.push("deferred");
            });
            #[async_drop]
            let tx = Res::new("tx", &self.0);
            let mut sum = 0;
            #[for_await]
            for x in stream::iter([1, 2, 3]) {
                sum += x;
            }
            self.0
                .push(format!("body with {} and {}", conn.name, tx.name));
            if !ok {
                return Err("refused".to_owned());
            }
            Ok(sum)
        }
    }

    #[async_trait_ext(native)]
    pub(super) trait NativeHandler {
        async fn handle(&self, conn: Res) -> u32;
    }

    pub(super) struct Native(pub(super) Log);

    impl NativeHandler for Native {
        #[async_scope]
        async fn handle(&self, #[async_drop] conn: Res) -> u32 {
            #[async_drop]
            let tx = Res::new("tx", &self.0);
            self.0
                .push(format!("native body with {} and {}", conn.name, tx.name));
            7
        }
    }
}

#[test]
#[cfg(feature = "traits")]
fn scopes_on_boxed_trait_methods_clean_up_on_every_exit() {
    use trait_methods::{Boxed, Handler};
    for ok in [true, false] {
        let log = Log::default();
        let handler: Box<dyn Handler + Send + Sync> = Box::new(Boxed(log.clone()));
        let result = futures::executor::block_on(handler.handle(Res::new("conn", &log), ok));
        assert_eq!(result, if ok { Ok(6) } else { Err("refused".to_owned()) });
        assert_eq!(
            log.events(),
            [
                "body with conn and tx",
                "tx closing",
                "tx closed",
                "deferred",
                "conn closing",
                "conn closed",
            ]
        );
    }
}

#[test]
#[cfg(feature = "traits")]
fn scopes_on_native_trait_methods_clean_up() {
    use trait_methods::{Native, NativeHandler};
    let log = Log::default();
    let handler = Native(log.clone());
    let result = futures::executor::block_on(handler.handle(Res::new("conn", &log)));
    assert_eq!(result, 7);
    assert_eq!(
        log.events(),
        [
            "native body with conn and tx",
            "tx closing",
            "tx closed",
            "conn closing",
            "conn closed",
        ]
    );
}

// ----- the example of api.md §5, verbatim -----------------------------------------------------

/// The types of the api.md §5 example. `metrics::flush` takes no argument, so it logs into a
/// process-wide log: only `api_example_on_every_executor` uses it, one executor after another.
mod api {
    use super::{Log, yield_now};
    use std::sync::LazyLock;

    pub(super) static LOG: LazyLock<Log> = LazyLock::new(Log::default);

    pub(super) mod metrics {
        pub(crate) async fn flush() {
            super::yield_now().await;
            super::LOG.push("metrics flushed");
        }
    }

    #[derive(Debug, PartialEq)]
    pub(super) struct DbError(pub(super) &'static str);

    #[derive(Debug, PartialEq)]
    pub(super) enum Error {
        Db(&'static str),
    }

    impl From<DbError> for Error {
        fn from(error: DbError) -> Self {
            Error::Db(error.0)
        }
    }

    pub(super) struct Conn {
        pub(super) begin_fails: bool,
    }

    impl Conn {
        pub(super) async fn begin(&mut self) -> Result<Tx, DbError> {
            yield_now().await;
            LOG.push("begin");
            if self.begin_fails {
                Err(DbError("begin refused"))
            } else {
                Ok(Tx { done: false })
            }
        }

        async fn close(&mut self) {
            yield_now().await;
            LOG.push("conn closed");
        }
    }

    impl async_ext::AsyncDrop for Conn {
        async fn async_drop(&mut self) {
            self.close().await;
        }
    }

    pub(super) struct Tx {
        done: bool,
    }

    pub(super) enum Req {
        Ok(u32),
        Fails,
        Panics,
    }

    #[derive(Debug, PartialEq)]
    pub(super) struct Resp(pub(super) u32);

    impl Tx {
        pub(super) async fn exec(&mut self, req: Req) -> Result<Resp, DbError> {
            yield_now().await;
            match req {
                Req::Ok(n) => {
                    LOG.push(format!("exec {n}"));
                    self.done = true;
                    Ok(Resp(n))
                }
                Req::Fails => Err(DbError("exec refused")),
                Req::Panics => panic!("exec panicked"),
            }
        }
    }

    impl async_ext::AsyncDrop for Tx {
        async fn async_drop(&mut self) {
            yield_now().await;
            LOG.push(if self.done {
                "tx committed"
            } else {
                "tx rolled back"
            });
        }
    }
}

use api::{Conn, Error, Req, Resp, metrics};

#[async_scope]
async fn handle(#[async_drop] conn: Conn, req: Req) -> Result<Resp, Error> {
    #[async_drop]
    let tx = conn.begin().await?;
    defer_async!(async { metrics::flush().await });
    let r = tx.exec(req).await?; // on `?`, `return`, normal end or panic: tx, defer, conn cleaned up
    Ok(r)
}

/// Each exit of the example: its value, and the events its clean-up logged.
async fn api_example_exits() -> Vec<(String, Vec<String>)> {
    let mut outcomes = Vec::new();
    let cases = [
        (false, Req::Ok(5)),
        (true, Req::Ok(5)),
        (false, Req::Fails),
        (false, Req::Panics),
    ];
    for (begin_fails, req) in cases {
        let before = api::LOG.events().len();
        let result = AssertUnwindSafe(handle(Conn { begin_fails }, req))
            .catch_unwind()
            .await;
        let shown = match result {
            Ok(value) => format!("{value:?}"),
            Err(payload) => format!("panic: {}", panic_message(&*payload)),
        };
        outcomes.push((shown, api::LOG.events().split_off(before)));
    }
    outcomes
}

#[test]
fn api_example_on_every_executor() {
    let expected = [
        (
            "Ok(Resp(5))",
            vec![
                "begin",
                "exec 5",
                "metrics flushed",
                "tx committed",
                "conn closed",
            ],
        ),
        // `?` on `begin`: no `tx`, no defer yet; the `From` conversion to `Error` happened.
        ("Err(Db(\"begin refused\"))", vec!["begin", "conn closed"]),
        (
            "Err(Db(\"exec refused\"))",
            vec!["begin", "metrics flushed", "tx rolled back", "conn closed"],
        ),
        (
            "panic: exec panicked",
            vec!["begin", "metrics flushed", "tx rolled back", "conn closed"],
        ),
    ];
    let expected: Vec<(String, Vec<String>)> = expected
        .into_iter()
        .map(|(value, events)| {
            (
                value.to_owned(),
                events.into_iter().map(str::to_owned).collect(),
            )
        })
        .collect();
    assert_eq!(futures::executor::block_on(api_example_exits()), expected);
    let current = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    assert_eq!(current.block_on(api_example_exits()), expected);
    let multi = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    let spawned = multi.block_on(async { tokio::spawn(api_example_exits()).await });
    assert_eq!(spawned.unwrap(), expected);
}

// ----- containers in a scope ----------------------------------------------------------------

#[async_scope]
async fn containers_fn(log: &Log) {
    let r = |name: &str| Res::new(name, log);
    #[async_drop]
    let pair = (r("pair0"), r("pair1"));
    #[async_drop]
    let all = (
        Some(r("some")),
        None::<Res>,
        Box::new(r("boxed")),
        vec![r("vec0"), r("vec1")],
        [r("array0"), r("array1")],
    );
    log.push(format!("body with {} and {}", pair.0.name, all.2.name));
}

async fn containers_clean_up_their_elements_in_order() {
    let log = Log::default();
    containers_fn(&log).await;
    let mut expected = vec!["body with pair0 and boxed".to_owned()];
    expected.extend(closing_events(&[
        "some", "boxed", "vec0", "vec1", "array0", "array1", "pair0", "pair1",
    ]));
    assert_eq!(log.events(), expected);

    // The same containers as a generic `T: AsyncDropSend + Send`: the scope stays `Send`.
    let log = Log::default();
    let value = (
        Some(Res::new("some", &log)),
        Box::new(Res::new("boxed", &log)),
        vec![Res::new("vec0", &log)],
        [Res::new("array0", &log)],
    );
    let size = assert_send(generic_scope(value, log.clone())).await;
    assert_eq!(
        size,
        std::mem::size_of::<(Option<Res>, Box<Res>, Vec<Res>, [Res; 1])>()
    );
    let mut expected = vec!["generic body second".to_owned()];
    expected.extend(closing_events(&[
        "second", "some", "boxed", "vec0", "array0",
    ]));
    assert_eq!(log.events(), expected);
}

// ----- the orphan hook: replacing it, concurrency, strict_orphans, type names ---------------

/// A value whose clean-up suspends twice; it logs into [`EVENTS`] when made, cleaned and
/// dropped, so a test can count, per type, that each value was dropped once and either
/// cleaned or reported.
struct Probe<const N: usize>;

impl<const N: usize> Probe<N> {
    fn new() -> Self {
        EVENTS.lock().unwrap().push(format!("made Probe<{N}>"));
        Probe
    }
}

impl<const N: usize> AsyncDrop for Probe<N> {
    async fn async_drop(&mut self) {
        yield_now().await;
        yield_now().await;
        EVENTS.lock().unwrap().push(format!("cleaned Probe<{N}>"));
    }
}

impl<const N: usize> Drop for Probe<N> {
    fn drop(&mut self) {
        EVENTS.lock().unwrap().push(format!("drop Probe<{N}>"));
    }
}

/// Removes and returns the events that mention `tag`.
fn take_events(tag: &str) -> Vec<String> {
    let mut events = EVENTS.lock().unwrap();
    let (mine, rest) = events.drain(..).partition(|event| event.contains(tag));
    *events = rest;
    mine
}

fn count(events: &[String], event: &str) -> usize {
    events.iter().filter(|e| *e == event).count()
}

/// Each `Probe<N>` made was dropped exactly once, and either cleaned or reported to the hook
/// (never both, never neither); each report comes right after the value's `Drop`. Returns
/// how many were reported.
fn assert_each_probe_once<const N: usize>(events: &[String]) -> usize {
    let made = count(events, &format!("made Probe<{N}>"));
    let drops = count(events, &format!("drop Probe<{N}>"));
    let cleaned = count(events, &format!("cleaned Probe<{N}>"));
    let orphan = format!("orphan value async_drop::Probe<{N}>");
    let orphans = count(events, &orphan);
    assert_eq!(drops, made, "Probe<{N}> dropped once per value: {events:?}");
    assert_eq!(
        cleaned + orphans,
        made,
        "Probe<{N}> cleaned or reported: {events:?}"
    );
    let mine: Vec<&String> = events
        .iter()
        .filter(|e| e.ends_with(&format!("Probe<{N}>")))
        .collect();
    for (index, event) in mine.iter().enumerate() {
        if **event == orphan {
            assert!(
                index > 0 && *mine[index - 1] == format!("drop Probe<{N}>"),
                "the hook comes right after the value's `Drop`: {events:?}"
            );
        }
    }
    orphans
}

/// What every hook of this binary does: record the orphan in [`EVENTS`]; for `Strict<…>`
/// values, then hand it to `strict_orphans`.
fn record_orphan(orphan: &async_ext::Orphan) {
    let kind = if orphan.is_deferred() {
        "deferred"
    } else {
        "value"
    };
    EVENTS
        .lock()
        .unwrap()
        .push(format!("orphan {kind} {}", orphan.type_name()));
    if orphan.type_name().contains("Strict<") {
        async_ext::strict_orphans(orphan);
    }
}

// `strict_orphans` is a hook as it stands (this only has to compile: installing it for real
// would turn the orphans of the other tests of this binary into panics).
#[allow(dead_code)]
fn strict_orphans_is_a_hook() {
    async_ext::set_orphan_hook(async_ext::strict_orphans);
}

#[async_scope]
async fn hold_until_dropped<T: AsyncDrop>(#[async_drop] value: T) {
    let _ = value;
    std::future::pending::<()>().await;
}

/// Polls `future` once (it must suspend), then drops it: the scope is cancelled.
fn cancel_after_one_poll<F: Future>(future: F) {
    let mut future = Box::pin(future);
    assert!(poll_once(future.as_mut()).is_pending());
    drop(future);
}

/// The parts run one after the other: each replaces the process-wide hook (every hook set
/// here records into [`EVENTS`] like [`install_hook`]'s, so other tests are not disturbed).
#[test]
fn orphan_hook_replacement_concurrency_and_strict_orphans() {
    install_hook();
    replacing_the_hook();
    exact_type_names();
    reports_name_what_the_user_wrote();
    hooks_replaced_while_values_are_orphaned();
    strict_orphans_panics_once();
}

fn replacing_the_hook() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    // Replacing the hook: the new one is called, the old one no longer.
    let replaced = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&replaced);
    async_ext::set_orphan_hook(move |orphan| {
        if orphan.type_name().contains("Probe<20>") {
            seen.fetch_add(1, Ordering::SeqCst);
        }
        record_orphan(orphan);
    });
    cancel_after_one_poll(hold_until_dropped(Probe::<20>::new()));
    assert_eq!(replaced.load(Ordering::SeqCst), 1);
    let events = take_events("Probe<20>");
    assert_eq!(
        assert_each_probe_once::<20>(&events),
        1,
        "reported once: {events:?}"
    );
}

fn exact_type_names() {
    // `Orphan::type_name()`, exactly, for containers and generic types.
    cancel_after_one_poll(hold_until_dropped(vec![Probe::<21>::new()]));
    cancel_after_one_poll(hold_until_dropped((
        Some(Probe::<22>::new()),
        Box::new(Probe::<22>::new()),
    )));
    assert_eq!(
        take_events("orphan value alloc::vec::Vec<async_drop::Probe<21>>"),
        ["orphan value alloc::vec::Vec<async_drop::Probe<21>>"]
    );
    assert_eq!(
        take_events("Option<async_drop::Probe<22>>"),
        [
            "orphan value (core::option::Option<async_drop::Probe<22>>, alloc::boxed::Box<async_drop::Probe<22>>)"
        ]
    );
    take_events("Probe<21>");
    take_events("Probe<22>");
}

/// The line above `transfer`'s attribute; its markers are on the lines counted from here.
const TRANSFER_LINE: u32 = line!();
#[async_scope]
async fn transfer(#[async_drop] source: Probe<23>) {
    #[async_drop]
    let target = Probe::<23>::new();
    defer_async!(async { EVENTS.lock().unwrap().push("deferred ran Probe<23>".into()) });
    let _ = (source, target);
    std::future::pending::<()>().await;
}

/// An orphan names what the user wrote: the binding or `defer_async!`, the fn, the file, the
/// line and column of the marker; its `Display` says it in one sentence, with the fix.
fn reports_name_what_the_user_wrote() {
    use std::sync::{Arc, Mutex};
    let reports = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&reports);
    async_ext::set_orphan_hook(move |orphan| {
        if orphan.function().ends_with("::transfer") {
            let where_ = (orphan.file(), orphan.line(), orphan.column());
            seen.lock().unwrap().push((
                orphan.binding(),
                orphan.function(),
                where_,
                orphan.to_string(),
            ));
        }
        record_orphan(orphan);
    });
    cancel_after_one_poll(transfer(Probe::<23>::new()));
    let mut reports = std::mem::take(&mut *reports.lock().unwrap());
    reports.sort();
    let file = file!();
    let line = |offset| TRANSFER_LINE + offset;
    let tail = ": the `#[async_scope]` fn's future was dropped before it ended (a timeout, a \
                `select!` loser, an aborted task), so its `Drop` ran instead; to keep the async \
                clean-up, cancel with `async_ext::cancel_gracefully`, `cancel_now` or \
                `abortable_gracefully` (guide: async drop, cancellation)";
    assert_eq!(
        reports,
        [
            (
                None,
                "async_drop::transfer",
                (file, line(5), 5),
                format!(
                    "the `defer_async!` at {file}:{}:5 in `async_drop::transfer` was dropped \
                     without running{tail}",
                    line(5)
                )
            ),
            (
                Some("source"),
                "async_drop::transfer",
                (file, line(2), 33),
                format!(
                    "`source` (a `async_drop::Probe<23>`) at {file}:{}:33 in \
                     `async_drop::transfer` was dropped without its async clean-up{tail}",
                    line(2)
                )
            ),
            (
                Some("target"),
                "async_drop::transfer",
                (file, line(4), 9),
                format!(
                    "`target` (a `async_drop::Probe<23>`) at {file}:{}:9 in \
                     `async_drop::transfer` was dropped without its async clean-up{tail}",
                    line(4)
                )
            ),
        ]
    );
    let events = take_events("Probe<23>");
    assert_eq!(assert_each_probe_once::<23>(&events), 2, "{events:?}");
    assert!(
        !events.iter().any(|event| event.starts_with("deferred ran")),
        "{events:?}"
    );
}

fn hooks_replaced_while_values_are_orphaned() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    const CANCELLED_PER_THREAD: usize = 300;
    // Hooks replaced from two threads while two others cancel scopes: every orphan is
    // reported exactly once, by whichever hook is current (never a torn or freed one).
    let reports = Arc::new(AtomicUsize::new(0));
    let setters: Vec<_> = (0..2)
        .map(|_| {
            let reports = Arc::clone(&reports);
            std::thread::spawn(move || {
                for _ in 0..200 {
                    let reports = Arc::clone(&reports);
                    async_ext::set_orphan_hook(move |orphan| {
                        if orphan.type_name() == "async_drop::Hammered" {
                            reports.fetch_add(1, Ordering::SeqCst);
                        } else {
                            record_orphan(orphan);
                        }
                    });
                }
            })
        })
        .collect();
    let cancellers: Vec<_> = (0..2)
        .map(|_| {
            std::thread::spawn(|| {
                for _ in 0..CANCELLED_PER_THREAD {
                    cancel_after_one_poll(hold_until_dropped(Hammered));
                }
            })
        })
        .collect();
    for thread in setters.into_iter().chain(cancellers) {
        thread.join().unwrap();
    }
    // A hook installed before the first setter ran counts nothing: finish with one that does.
    let before = reports.load(Ordering::SeqCst);
    let last = Arc::clone(&reports);
    async_ext::set_orphan_hook(move |orphan| {
        if orphan.type_name() == "async_drop::Hammered" {
            last.fetch_add(1, Ordering::SeqCst);
        } else {
            record_orphan(orphan);
        }
    });
    cancel_after_one_poll(hold_until_dropped(Hammered));
    assert_eq!(reports.load(Ordering::SeqCst), before + 1);
    let hammered = take_events("Hammered");
    // Those reported through `record_orphan` (a hook set before the setters' first one).
    assert_eq!(
        before + hammered.len(),
        2 * CANCELLED_PER_THREAD,
        "{hammered:?}"
    );
}

fn strict_orphans_panics_once() {
    // `strict_orphans` (called by `record_orphan` for `Strict<…>`): dropping the cancelled
    // future panics, naming the type; the second orphan, met while that panic unwinds, is
    // printed rather than panicking again (which would abort).
    let mut future = Box::pin(two_strict_values(Strict::<1>, Strict::<2>));
    assert!(poll_once(future.as_mut()).is_pending());
    let payload = std::panic::catch_unwind(AssertUnwindSafe(|| drop(future))).unwrap_err();
    let text = panic_message(&*payload);
    assert!(
        text.starts_with(&format!(
            "async-ext strict_orphans: `second` (a `async_drop::Strict<2>`) at {}:",
            file!()
        )) && text.contains("in `async_drop::two_strict_values` was dropped without its async"),
        "{text}"
    );
    assert_eq!(
        take_events("Strict<"),
        [
            "drop Strict<2>",
            "orphan value async_drop::Strict<2>",
            "drop Strict<1>",
            "orphan value async_drop::Strict<1>",
        ]
    );
}

struct Hammered;

impl AsyncDrop for Hammered {
    async fn async_drop(&mut self) {}
}

struct Strict<const N: usize>;

impl<const N: usize> AsyncDrop for Strict<N> {
    async fn async_drop(&mut self) {}
}

impl<const N: usize> Drop for Strict<N> {
    fn drop(&mut self) {
        EVENTS.lock().unwrap().push(format!("drop Strict<{N}>"));
    }
}

#[async_scope]
async fn two_strict_values(#[async_drop] first: Strict<1>, #[async_drop] second: Strict<2>) {
    let _ = (first, second);
    std::future::pending::<()>().await;
}

// ----- cancellation at every suspension point -----------------------------------------------

#[async_scope]
async fn every_await_fn(#[async_drop] param: Probe<40>) -> u32 {
    #[async_drop]
    let first = Probe::<41>::new();
    let flag = DropFlag("every-await defer");
    defer_async!(async move {
        let _flag = flag;
        yield_now().await;
        yield_now().await;
        EVENTS
            .lock()
            .unwrap()
            .push("ran every-await defer".to_owned());
    });
    yield_now().await;
    let mut total = 0;
    for _ in 0..2 {
        // The second time round, the first `Probe<42>` is async-dropped first.
        #[async_drop]
        let looped = Probe::<42>::new();
        yield_now().await;
        let _ = &looped;
        total += 1;
    }
    yield_now().await;
    let _ = (param, first);
    total
}

/// The events of one run of [`every_await_fn`]; checks the defer's future ran or was
/// reported, once, and returns how many values and futures were reported.
fn check_every_await_run(never_polled: bool) -> usize {
    let events = take_events("Probe<4");
    if never_polled {
        // No code of an `async fn` runs before its first poll: the parameter never reached
        // its slot, so it is dropped as a plain value, once, and not reported (a limit the
        // guide documents). Nothing else was made.
        assert_eq!(events, ["made Probe<40>", "drop Probe<40>"]);
        assert!(take_events("every-await").is_empty());
        return 0;
    }
    let defer = take_events("every-await");
    let deferred_orphans = take_events("orphan deferred async_drop::every_await_fn");
    // The defer's future (and the flag it owns) exists once the body has run that far.
    let flags = count(&defer, "drop every-await defer");
    assert!(flags <= 1, "{defer:?}");
    assert_eq!(
        count(&defer, "ran every-await defer") + deferred_orphans.len(),
        flags,
        "{defer:?} {deferred_orphans:?}"
    );
    assert_each_probe_once::<40>(&events)
        + assert_each_probe_once::<41>(&events)
        + assert_each_probe_once::<42>(&events)
        + deferred_orphans.len()
}

#[test]
fn cancellation_at_every_suspension_point() {
    install_hook();
    let mut k = 0;
    loop {
        let mut future = Box::pin(every_await_fn(Probe::<40>::new()));
        let mut ended = None;
        for _ in 0..k {
            if let std::task::Poll::Ready(value) = poll_once(future.as_mut()) {
                ended = Some(value);
                break;
            }
        }
        drop(future);
        let reported = check_every_await_run(k == 0);
        if k == 0 {
            assert_eq!(reported, 0);
        } else if let Some(value) = ended {
            assert_eq!((value, reported), (2, 0));
            break;
        } else {
            assert!(
                reported > 0,
                "cancelled after {k} polls: something was pending"
            );
        }
        k += 1;
    }
    // Every suspension was tried: 6 in the body (4 `yield_now`s, 2 in the rebinding's
    // clean-up), then 2 for each of the defer and the three values of the epilogue.
    assert_eq!(k, 15);
}

/// A signal that fires on its `n + 1`-th poll.
struct AfterPolls(usize);

impl Future for AfterPolls {
    type Output = ();
    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<()> {
        if self.0 == 0 {
            return std::task::Poll::Ready(());
        }
        self.0 -= 1;
        cx.waker().wake_by_ref();
        std::task::Poll::Pending
    }
}

#[test]
fn graceful_cancellation_at_every_suspension_point() {
    install_hook();
    for k in 0.. {
        let result = futures::executor::block_on(cancel_gracefully(
            every_await_fn(Probe::<40>::new()),
            AfterPolls(k),
        ));
        // Gracefully: every value and the defer get their async clean-up, none is reported.
        assert_eq!(check_every_await_run(false), 0, "cancelled after {k} polls");
        if result == Ok(2) {
            // The body suspends 6 times (4 `yield_now`s, 2 in the rebinding's clean-up): a
            // signal before each of them was tried. After that the body has ended, and the
            // epilogue is never cut short.
            assert_eq!(k, 6);
            break;
        }
        assert_eq!(result, Err(Cancelled), "cancelled after {k} polls");
    }
}

// ----- panics meeting cancellation ----------------------------------------------------------

#[async_scope]
async fn panics_then_cleans(#[async_drop] outer: Probe<60>) {
    #[async_drop]
    let inner = Probe::<61>::new();
    let _ = (outer, inner);
    panic!("body panicked before the cancellation");
}

#[test]
fn a_panic_then_cancellation_during_the_clean_up() {
    install_hook();
    // First poll: the body panics, `inner`'s clean-up starts and suspends. Second poll: it
    // suspends again. Then the future is dropped: the panic is never resumed (nobody polls
    // any more), `inner` and `outer` get the fallback and the hook.
    for polls in 1..=2 {
        let mut future = Box::pin(panics_then_cleans(Probe::<60>::new()));
        for _ in 0..polls {
            assert!(poll_once(future.as_mut()).is_pending());
        }
        drop(future);
        let events = take_events("Probe<6");
        assert_eq!(assert_each_probe_once::<60>(&events), 1, "{events:?}");
        assert_eq!(assert_each_probe_once::<61>(&events), 1, "{events:?}");
    }
    // Polled to the end: both cleaned, the panic resumes.
    let caught = std::panic::catch_unwind(|| {
        futures::executor::block_on(panics_then_cleans(Probe::<60>::new()));
    })
    .unwrap_err();
    assert_eq!(
        panic_message(&*caught),
        "body panicked before the cancellation"
    );
    let events = take_events("Probe<6");
    assert_eq!(assert_each_probe_once::<60>(&events), 0, "{events:?}");
    assert_eq!(assert_each_probe_once::<61>(&events), 0, "{events:?}");
}

#[async_scope]
async fn inner_with_panicking_cleanup(log: &Log) {
    #[async_drop]
    let a = Res::new("a", log);
    #[async_drop]
    let b = Res::panicking("b", log);
    log.push(format!("{} and {} wait", a.name, b.name));
    std::future::pending::<()>().await;
}

#[async_scope]
async fn outer_of_panicking_cleanup(log: &Log) {
    #[async_drop]
    let outer = Res::new("outer", log);
    log.push(format!("{} calls inner", outer.name));
    inner_with_panicking_cleanup(log).await;
}

#[test]
fn a_clean_up_that_panics_during_graceful_cancellation() {
    let log = Log::default();
    let caught = std::panic::catch_unwind(AssertUnwindSafe(|| {
        futures::executor::block_on(cancel_gracefully(
            outer_of_panicking_cleanup(&log),
            yield_now(),
        ))
    }));
    // The clean-up's panic is a real failure: it wins over the cancellation, the other
    // clean-ups still run (inner first, then outer), and it reaches the caller.
    let payload = caught.expect_err("the clean-up's panic is not swallowed");
    assert_eq!(panic_message(&*payload), "b clean-up panicked");
    assert_eq!(
        log.events(),
        [
            "outer calls inner",
            "a and b wait",
            "b closing",
            "b dropped without clean-up",
            "a closing",
            "a closed",
            "outer closing",
            "outer closed",
        ]
    );
}

// ----- cancelled while the thread unwinds from another panic --------------------------------

#[async_scope]
async fn rebinds_then_waits() {
    for _ in 0..2 {
        #[async_drop]
        let value = Probe::<70>::new();
        yield_now().await;
        let _ = &value;
    }
    std::future::pending::<()>().await;
}

#[async_scope]
async fn defers_then_ends() {
    let flag = DropFlag("unwind-defer");
    defer_async!(async move {
        let _flag = flag;
        yield_now().await;
    });
}

/// Drops `future` while the thread unwinds from a panic of its own.
fn drop_during_a_panic<F>(future: F) {
    let caught = std::panic::catch_unwind(AssertUnwindSafe(move || {
        let _owned = future;
        panic!("an unrelated panic");
    }));
    assert_eq!(panic_message(&*caught.unwrap_err()), "an unrelated panic");
}

#[test]
fn cancellation_during_an_unrelated_unwind_still_reports() {
    install_hook();
    // Suspended in the rebinding's clean-up of the first value, the second one made: both
    // are pending, neither is mistaken for a panicking clean-up.
    let mut future = Box::pin(rebinds_then_waits());
    for _ in 0..2 {
        assert!(poll_once(future.as_mut()).is_pending());
    }
    drop_during_a_panic(future);
    let events = take_events("Probe<70>");
    assert_eq!(count(&events, "made Probe<70>"), 2, "{events:?}");
    assert_eq!(assert_each_probe_once::<70>(&events), 2, "{events:?}");

    // Suspended in a `defer_async!` future that the epilogue is running.
    let mut future = Box::pin(defers_then_ends());
    assert!(poll_once(future.as_mut()).is_pending());
    drop_during_a_panic(future);
    let events = take_events("unwind-defer");
    assert_eq!(events, ["drop unwind-defer"]);
    let orphans = take_events("orphan deferred async_drop::defers_then_ends");
    assert_eq!(orphans.len(), 1, "{orphans:?}");
}

// ----- limits the guide documents -----------------------------------------------------------

#[async_scope]
async fn limits_fn(log: &Log) {
    {
        #[async_drop]
        let inner = Res::new("inner", log);
        log.push(format!("block with {}", inner.name));
    }
    log.push("after the block");
    #[async_drop]
    let conn = Res::new("conn", log);
    // Forgets the `&mut`, not the value (the lint says as much): `conn` is still cleaned.
    #[allow(forgetting_references)]
    std::mem::forget(conn);
    let _local = Flag(log.clone());
    yield_now().await;
}

struct Flag(Log);

impl Drop for Flag {
    fn drop(&mut self) {
        self.0.push("plain local dropped");
    }
}

#[test]
fn inner_blocks_forgotten_references_and_plain_locals() {
    let log = Log::default();
    futures::executor::block_on(limits_fn(&log));
    let mut expected = vec![
        "block with inner".to_owned(),
        "after the block".to_owned(),
        "plain local dropped".to_owned(),
    ];
    expected.extend(closing_events(&["conn", "inner"]));
    assert_eq!(log.events(), expected);
}

#[async_scope]
async fn panicking_defer_fn(log: &Log) {
    #[async_drop]
    let a = Res::new("a", log);
    defer_async!(async {
        yield_now().await;
        panic!("deferred future panicked");
    });
    log.push(format!("body with {}", a.name));
}

#[test]
fn a_panicking_deferred_future_is_not_an_orphan() {
    install_hook();
    let log = Log::default();
    let caught = std::panic::catch_unwind(AssertUnwindSafe(|| {
        futures::executor::block_on(panicking_defer_fn(&log));
    }));
    assert_eq!(
        panic_message(&*caught.unwrap_err()),
        "deferred future panicked"
    );
    assert_eq!(log.events(), ["body with a", "a closing", "a closed"]);
    assert!(events_with("panicking_defer_fn").is_empty());
}

/// The fn's return value, logging its drop.
#[derive(Debug)]
struct Returned(Log);

impl Drop for Returned {
    fn drop(&mut self) {
        self.0.push("returned value dropped".to_owned());
    }
}

#[async_scope]
async fn value_then_panicking_cleanup_fn(log: &Log) -> Returned {
    #[async_drop]
    let a = Res::new("a", log);
    #[async_drop]
    let b = Res::panicking("b", log);
    log.push(format!("body with {} {}", a.name, b.name));
    Returned(log.clone())
}

#[test]
fn a_returned_value_is_dropped_after_every_clean_up_when_one_panics() {
    // The body returned a value, then `b`'s clean-up panicked: `a` is still cleaned, and the
    // value is dropped while the panic resumes, after both clean-ups.
    let log = Log::default();
    let caught = std::panic::catch_unwind(AssertUnwindSafe(|| {
        futures::executor::block_on(value_then_panicking_cleanup_fn(&log))
    }));
    assert_eq!(panic_message(&*caught.unwrap_err()), "b clean-up panicked");
    assert_eq!(
        log.events(),
        [
            "body with a b",
            "b closing",
            "b dropped without clean-up",
            "a closing",
            "a closed",
            "returned value dropped",
        ]
    );
}

/// Cleaned up normally, then panics in its `Drop`.
struct PanicsInDrop(Log, &'static str);

impl AsyncDrop for PanicsInDrop {
    async fn async_drop(&mut self) {
        yield_now().await;
        self.0.push(format!("{} closed", self.1));
    }
}

impl Drop for PanicsInDrop {
    fn drop(&mut self) {
        self.0.push(format!("{} dropped", self.1));
        panic!("{} panicked in Drop", self.1);
    }
}

#[async_scope]
async fn panicking_drop_fn(log: &Log) -> u32 {
    #[async_drop]
    let a = Res::new("a", log);
    #[async_drop]
    let b = PanicsInDrop(log.clone(), "b");
    #[async_drop]
    let c = PanicsInDrop(log.clone(), "c");
    log.push(format!("body with {} {} {}", a.name, b.1, c.1));
    7
}

#[test]
fn a_drop_that_panics_after_the_clean_up_is_caught_and_the_first_resumes() {
    // `c`'s and `b`'s `Drop` panic after their clean-ups: each value is dropped once, `a` is
    // still cleaned, and the first panic (`c`'s) resumes at the end.
    install_hook();
    let log = Log::default();
    let caught = std::panic::catch_unwind(AssertUnwindSafe(|| {
        futures::executor::block_on(panicking_drop_fn(&log))
    }));
    assert_eq!(panic_message(&*caught.unwrap_err()), "c panicked in Drop");
    assert_eq!(
        log.events(),
        [
            "body with a b c",
            "c closed",
            "c dropped",
            "b closed",
            "b dropped",
            "a closing",
            "a closed",
        ]
    );
    assert!(events_with("panicking_drop_fn").is_empty());
}
