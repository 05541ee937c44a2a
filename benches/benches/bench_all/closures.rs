//! Async closure calls: a closure capturing a `u64` and adding its argument, called from an
//! `#[inline(never)]` fn generic over the closure.

use std::future::Future;
use std::hint::black_box;
use std::pin::Pin;

use async_ext::{AsyncFn as ExtAsyncFn, AsyncFnSend, DynAsyncFn, async_closure};
use async_ext_benches::executor::block_on;
use async_ext_benches::measure::{Group, Scenario};
use async_ext_benches::report::Target;

/// The future of a boxed-funnel closure: the stable work-around for storing async closures
/// (a `Box<dyn Fn(..) -> Pin<Box<dyn Future>>>`), which allocates on every call.
type BoxedFuture = Pin<Box<dyn Future<Output = u64> + Send>>;

#[inline(never)]
fn call_native<F: AsyncFn(u64) -> u64>(closure: &F, x: u64) -> u64 {
    block_on(closure(x))
}

#[inline(never)]
fn call_boxed(closure: &(dyn Fn(u64) -> BoxedFuture + 'static), x: u64) -> u64 {
    block_on(closure(x))
}

#[inline(never)]
fn call_ext<F: ExtAsyncFn<(u64,), Output = u64>>(closure: &F, x: u64) -> u64 {
    block_on(closure.call((x,)))
}

#[inline(never)]
fn call_ext_send<F: AsyncFnSend<(u64,), Output = u64>>(closure: &F, x: u64) -> u64 {
    block_on(closure.call_send((x,)))
}

/// async-ext's dyn form, boxed once; each call boxes its future.
type ExtDyn = Box<dyn DynAsyncFn<(u64,), u64> + Send>;

#[inline(never)]
fn call_ext_dyn(closure: &ExtDyn, x: u64) -> u64 {
    block_on(closure.call((x,)))
}

#[inline(always)]
fn call_loop<F: ?Sized>(closure: &F, n: u64, call: impl Fn(&F, u64) -> u64) -> u64 {
    let mut sum = 0u64;
    for i in 0..n {
        sum = sum.wrapping_add(call(black_box(closure), black_box(i)));
    }
    sum
}

fn native(n: u64) -> u64 {
    let step = black_box(3u64);
    let closure = async move |x: u64| step.wrapping_add(x);
    call_loop(&closure, n, call_native)
}

fn boxed_funnel(n: u64) -> u64 {
    let step = black_box(3u64);
    let closure: Box<dyn Fn(u64) -> BoxedFuture> =
        Box::new(move |x: u64| -> BoxedFuture { Box::pin(async move { step.wrapping_add(x) }) });
    call_loop(&*closure, n, call_boxed)
}

fn ext(n: u64) -> u64 {
    let closure = async_closure!({ let step = black_box(3u64); } async |x: u64| -> u64 {
        step.wrapping_add(x)
    });
    call_loop(&closure, n, call_ext)
}

fn ext_send(n: u64) -> u64 {
    let closure = async_closure!({ let step = black_box(3u64); } async |x: u64| -> u64 {
        step.wrapping_add(x)
    });
    call_loop(&closure, n, call_ext_send)
}

fn ext_dyn(n: u64) -> u64 {
    let closure: ExtDyn = Box::new(
        async_closure!({ let step = black_box(3u64); } async |x: u64| -> u64 {
            step.wrapping_add(x)
        }),
    );
    call_loop(&closure, n, call_ext_dyn)
}

pub(crate) fn group() -> Group {
    Group {
        title: "Async closure call",
        unit: "call",
        peer: "closure.native",
        note: "`f(x).await` of a closure capturing a `u64` by value, from an `#[inline(never)]` \
               fn generic over the closure (`AsyncFn(u64) -> u64` for the native closure).",
        scenarios: vec![
            Scenario {
                id: "closure.native",
                label: "native async closure (`AsyncFn` bound)",
                run: native,
                targets: Vec::new(),
            },
            Scenario {
                id: "closure.boxed_funnel",
                label: "boxed funnel: `&dyn Fn(u64) -> Pin<Box<dyn Future>>`",
                run: boxed_funnel,
                targets: Vec::new(),
            },
            Scenario {
                id: "closure.ext",
                label: "async-ext `async_closure!` (`AsyncFn` bound)",
                run: ext,
                targets: vec![Target::Ratio {
                    against: "closure.native",
                    max: 1.1,
                    allocations: Some(0.0),
                    text: "0 allocations; ≤ 1.1× a native async closure",
                }],
            },
            Scenario {
                id: "closure.ext_send",
                label: "async-ext `async_closure!` (`AsyncFnSend` bound, `call_send`)",
                run: ext_send,
                targets: vec![Target::Ratio {
                    against: "closure.native",
                    max: 1.1,
                    allocations: Some(0.0),
                    text: "0 allocations; ≤ 1.1× a native async closure",
                }],
            },
            Scenario {
                id: "closure.ext_dyn",
                label: "async-ext `Box<dyn DynAsyncFn>`",
                run: ext_dyn,
                targets: vec![Target::Report {
                    against: "closure.boxed_funnel",
                    text: "no target: reported against the boxed funnel",
                }],
            },
        ],
    }
}
