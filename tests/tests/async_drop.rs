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
use async_ext_tests::{CountingAllocator, Log, count_allocations, poll_once, yield_now};

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

/// The message of a caught panic.
fn message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default()
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
    assert_eq!(message(&*payload), "body panicked");
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
    assert_eq!(message(&*caught.unwrap_err()), "b clean-up panicked");
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
    assert_eq!(message(&*caught.unwrap_err()), "the body panicked first");
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
    assert_eq!(message(&*caught.unwrap_err()), "p0 clean-up panicked");
    assert_eq!(
        log.events(),
        [
            "use p0",
            "p0 closing",
            "p0 dropped without clean-up",
            "r1 dropped without clean-up",
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
    let text = message(&*caught.unwrap_err());
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
    defer_in_a_loop_runs_every_future_in_reverse,
    disarm_takes_the_value_out,
    derive_runs_hook_then_fields_in_order,
    generic_send_scope,
    methods_and_for_await,
    generated_code_is_hygienic,
    every_kind_of_signature,
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
    assert_eq!(message(&*error.into_panic()), "body panicked");
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

async fn graceful_cancellation_cleans_nested_scopes_inside_out() {
    let log = Log::default();
    let signal = async {
        for _ in 0..3 {
            yield_now().await;
        }
    };
    let result = cancel_gracefully(outer_scope(&log), signal).await;
    assert_eq!(result, Err(Cancelled));
    assert_eq!(
        log.events(),
        [
            "outer calls inner",
            "inner waits",
            "inner deferred",
            "inner closing",
            "inner closed",
            "outer closing",
            "outer closed",
        ]
    );

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

mod graceful {
    #[test]
    fn on_block_on() {
        futures::executor::block_on(super::graceful_cancellation_cleans_nested_scopes_inside_out());
    }

    #[test]
    fn on_tokio_current_thread() {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(super::graceful_cancellation_cleans_nested_scopes_inside_out());
    }

    #[test]
    fn on_tokio_multi_thread() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .build()
            .unwrap();
        runtime
            .block_on(async {
                tokio::spawn(super::graceful_cancellation_cleans_nested_scopes_inside_out()).await
            })
            .unwrap();
    }
}

// ----- scopes on methods of #[async_trait_ext] impls --------------------------------------

/// `#[async_trait_ext]` expands before `#[async_scope]`, so it applies the scope to a marked
/// method itself (boxed mode); native impls are plain and `#[async_scope]` expands as usual.
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
