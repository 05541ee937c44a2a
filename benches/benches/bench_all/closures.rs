//! Async closure calls: a closure capturing a `u64` and adding its argument, called from an
//! `#[inline(never)]` fn generic over the closure; and calls through the `dyn` forms, beside
//! the trait companion that shares their inline storage.

use std::future::Future;
use std::hint::black_box;
use std::pin::Pin;

use async_ext::{
    AsyncFn as ExtAsyncFn, AsyncFnMut as ExtAsyncFnMut, AsyncFnSend, DynAsyncFn, DynAsyncFnMut,
    async_closure,
};
use async_ext_benches::executor::block_on;
use async_ext_benches::measure::{Group, Scenario};
use async_ext_benches::report::Target;

use crate::traits::{ext_native_companion_boxed, large_ext_companion, large_work};

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
        ],
    }
}

/// async-ext's `dyn` forms, boxed once.
type ExtDynMut = Box<dyn DynAsyncFnMut<(u64,), u64> + Send>;
type ExtDyn = Box<dyn DynAsyncFn<(u64,), u64> + Send + Sync>;

/// The stable work-around the `dyn` forms replace (and what `DynAsyncFnMut` itself did before
/// its calls got inline storage): a boxed closure boxing each call's future.
type BoxedFunnelMut = Box<dyn FnMut(u64) -> BoxedFuture + Send>;

// Each call is awaited inside an async block, as user code awaits it and as the trait
// companion's forwarding method does, so the rows compare the same shape. The `_direct` row
// polls the returned future itself (`block_on(f.call_mut(..))`) instead.

#[inline(never)]
fn call_ext_dyn_mut(closure: &mut ExtDynMut, x: u64) -> u64 {
    block_on(async move { closure.call_mut((x,)).await })
}

#[inline(never)]
fn call_ext_dyn_mut_direct(closure: &mut ExtDynMut, x: u64) -> u64 {
    block_on(closure.call_mut((x,)))
}

#[inline(never)]
fn call_ext_dyn_shared(closure: &ExtDyn, x: u64) -> u64 {
    block_on(async move { closure.call((x,)).await })
}

#[inline(never)]
fn call_boxed_funnel_mut(closure: &mut BoxedFunnelMut, x: u64) -> u64 {
    block_on(async move { closure(x).await })
}

/// `n` calls of `call` on `closure` through `&mut`, summed.
#[inline(always)]
fn call_loop_mut<F>(closure: &mut F, n: u64, call: impl Fn(&mut F, u64) -> u64) -> u64 {
    let mut sum = 0u64;
    for i in 0..n {
        sum = sum.wrapping_add(call(black_box(&mut *closure), black_box(i)));
    }
    sum
}

fn ext_dyn_mut(n: u64) -> u64 {
    let mut closure: ExtDynMut = Box::new(
        async_closure!({ let step = black_box(3u64); } async |x: u64| -> u64 {
            step.wrapping_add(x)
        }),
    );
    call_loop_mut(&mut closure, n, call_ext_dyn_mut)
}

fn ext_dyn_mut_direct(n: u64) -> u64 {
    let mut closure: ExtDynMut = Box::new(
        async_closure!({ let step = black_box(3u64); } async |x: u64| -> u64 {
            step.wrapping_add(x)
        }),
    );
    call_loop_mut(&mut closure, n, call_ext_dyn_mut_direct)
}

fn ext_dyn_shared(n: u64) -> u64 {
    let closure: ExtDyn = Box::new(
        async_closure!({ let step = black_box(3u64); } async |x: u64| -> u64 {
            step.wrapping_add(x)
        }),
    );
    call_loop(&closure, n, call_ext_dyn_shared)
}

fn boxed_funnel_mut(n: u64) -> u64 {
    let step = black_box(3u64);
    let mut closure: BoxedFunnelMut =
        Box::new(move |x: u64| -> BoxedFuture { Box::pin(async move { step.wrapping_add(x) }) });
    call_loop_mut(&mut closure, n, call_boxed_funnel_mut)
}

fn ext_dyn_mut_large(n: u64) -> u64 {
    let mut closure: ExtDynMut = Box::new(
        async_closure!({ let step = black_box(3u64); } async |x: u64| -> u64 {
            large_work(step, x).await
        }),
    );
    call_loop_mut(&mut closure, n, call_ext_dyn_mut)
}

fn boxed_funnel_mut_large(n: u64) -> u64 {
    let step = black_box(3u64);
    let mut closure: BoxedFunnelMut = Box::new(move |x: u64| -> BoxedFuture {
        // The same body as the closure's: an async block awaiting the work.
        Box::pin(async move { large_work(step, x).await })
    });
    call_loop_mut(&mut closure, n, call_boxed_funnel_mut)
}

/// A `dyn` closure row with issue 13's target: no allocation, no more than the companion.
fn as_cheap_as_the_companion(
    id: &'static str,
    label: &'static str,
    run: fn(u64) -> u64,
) -> Scenario {
    Scenario {
        id,
        label,
        run,
        targets: vec![Target::Ratio {
            against: "closure_dyn.companion",
            max: 1.0,
            allocations: Some(0.0),
            text: "0 allocations; ≤ 1.0× the companion's call",
        }],
    }
}

/// Calls through the `dyn` closure forms, whose futures fit the inline storage.
pub(crate) fn dyn_group() -> Group {
    Group {
        title: "Async closure call through `dyn`",
        unit: "call",
        peer: "closure_dyn.companion",
        note: "The closure of the rows above, boxed once as a `dyn` closure and called from an \
               `#[inline(never)]` fn, each call awaited inside an `async` block (as user code \
               awaits it, and as the trait companion's forwarding method does); the peer is a \
               call through the trait companion `DynGet::boxed` doing the same work, which \
               shares the inline storage. The `_direct` row polls the returned future itself, \
               `block_on(f.call_mut(..))`: the 144-byte future is then moved once more, into \
               the executor's pinned slot, by a `memcpy`.",
        scenarios: vec![
            Scenario {
                id: "closure_dyn.companion",
                label: "trait companion `DynGet::boxed` (same inline storage)",
                run: ext_native_companion_boxed,
                targets: Vec::new(),
            },
            Scenario {
                id: "closure_dyn.boxed_funnel",
                label: "boxed funnel: `Box<dyn FnMut(u64) -> Pin<Box<dyn Future>>>`",
                run: boxed_funnel_mut,
                targets: Vec::new(),
            },
            as_cheap_as_the_companion(
                "closure_dyn.ext_mut",
                "async-ext `Box<dyn DynAsyncFnMut>`, `call_mut`",
                ext_dyn_mut,
            ),
            as_cheap_as_the_companion(
                "closure_dyn.ext_shared",
                "async-ext `Box<dyn DynAsyncFn>`, `call`",
                ext_dyn_shared,
            ),
            Scenario {
                id: "closure_dyn.ext_mut_direct",
                label: "async-ext `Box<dyn DynAsyncFnMut>`, `block_on(f.call_mut(..))` (_direct)",
                run: ext_dyn_mut_direct,
                targets: vec![Target::Report {
                    against: "closure_dyn.companion",
                    text: "reported: the future moved once more by the caller",
                }],
            },
        ],
    }
}

/// Calls through the `dyn` closure forms whose futures do not fit the inline storage.
pub(crate) fn dyn_large_group() -> Group {
    Group {
        title: "Async closure call through `dyn`, future larger than 128 bytes",
        unit: "call",
        peer: "closure_dyn_large.boxed_funnel",
        note: "As above, with the large-future body of the trait rows (a 256-byte buffer held \
               across an `.await`), so the future is boxed. The peer boxes every call's future \
               the way `DynAsyncFnMut` did before it had inline storage (212 instructions and \
               1 allocation per call then, with the small body).",
        scenarios: vec![
            Scenario {
                id: "closure_dyn_large.boxed_funnel",
                label: "boxed funnel: `Box<dyn FnMut(u64) -> Pin<Box<dyn Future>>>`",
                run: boxed_funnel_mut_large,
                targets: Vec::new(),
            },
            Scenario {
                id: "closure_dyn_large.companion",
                label: "trait companion `DynLarge::boxed`",
                run: large_ext_companion,
                targets: Vec::new(),
            },
            Scenario {
                id: "closure_dyn_large.ext_mut",
                label: "async-ext `Box<dyn DynAsyncFnMut>`, `call_mut`",
                run: ext_dyn_mut_large,
                targets: vec![Target::Ratio {
                    against: "closure_dyn_large.boxed_funnel",
                    max: 1.0,
                    allocations: Some(1.0),
                    text: "1 allocation; ≤ 1.0× a per-call `Box::pin` (what it replaces)",
                }],
            },
        ],
    }
}
