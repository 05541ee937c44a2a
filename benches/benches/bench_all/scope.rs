//! `#[async_scope]` with one `#[async_drop]` slot against the same clean-up written by hand
//! and the same fn without it.

use std::hint::black_box;

use async_ext::{AsyncDrop, async_scope};
use async_ext_benches::executor::block_on;
use async_ext_benches::measure::{Group, Scenario};
use async_ext_benches::report::Target;

/// A value whose clean-up is trivial, so the row shows the scope's own cost.
pub(crate) struct Guard(u64);

impl Drop for Guard {
    #[inline]
    fn drop(&mut self) {
        black_box(self.0);
    }
}

impl AsyncDrop for Guard {
    async fn async_drop(&mut self) {
        black_box(self.0);
    }
}

#[async_scope]
async fn with_slot(x: u64) -> u64 {
    #[async_drop]
    let guard = Guard(x);
    guard.0.wrapping_add(1)
}

#[async_scope]
#[allow(clippy::unused_async)] // the same async fn as the others, with the scope and no slot
async fn scope_without_slot(x: u64) -> u64 {
    let guard = Guard(x);
    guard.0.wrapping_add(1)
}

#[inline(never)]
fn call_scope_without_slot(x: u64) -> u64 {
    block_on(scope_without_slot(x))
}

fn scope_only(n: u64) -> u64 {
    let mut sum = 0u64;
    for i in 0..n {
        sum = sum.wrapping_add(call_scope_without_slot(black_box(i)));
    }
    sum
}

/// What the scope does on the normal path, written by hand (no panic or cancellation safety).
async fn by_hand(x: u64) -> u64 {
    let mut guard = Guard(x);
    let result = guard.0.wrapping_add(1);
    guard.async_drop().await;
    result
}

#[inline(never)]
fn call_with_slot(x: u64) -> u64 {
    block_on(with_slot(x))
}

#[inline(never)]
fn call_by_hand(x: u64) -> u64 {
    block_on(by_hand(x))
}

fn scoped(n: u64) -> u64 {
    let mut sum = 0u64;
    for i in 0..n {
        sum = sum.wrapping_add(call_with_slot(black_box(i)));
    }
    sum
}

fn hand(n: u64) -> u64 {
    let mut sum = 0u64;
    for i in 0..n {
        sum = sum.wrapping_add(call_by_hand(black_box(i)));
    }
    sum
}

#[allow(clippy::unused_async)] // the same async fn as the scoped one, minus the scope
async fn without_slot(x: u64) -> u64 {
    let guard = Guard(x);
    guard.0.wrapping_add(1)
}

#[inline(never)]
fn call_without_slot(x: u64) -> u64 {
    block_on(without_slot(x))
}

fn plain(n: u64) -> u64 {
    let mut sum = 0u64;
    for i in 0..n {
        sum = sum.wrapping_add(call_without_slot(black_box(i)));
    }
    sum
}

pub(crate) fn group() -> Group {
    Group {
        title: "`#[async_scope]` with one slot",
        unit: "call",
        peer: "scope.plain",
        note: "An async fn that makes one `Guard` and returns; called from an `#[inline(never)]` \
               fn and polled to completion.",
        scenarios: vec![
            Scenario {
                id: "scope.plain",
                label: "the same fn without `#[async_scope]` (sync `Drop` only)",
                run: plain,
                targets: Vec::new(),
            },
            Scenario {
                id: "scope.by_hand",
                label: "by hand: `guard.async_drop().await` before returning",
                run: hand,
                targets: Vec::new(),
            },
            Scenario {
                id: "scope.no_slot",
                label: "`#[async_scope]` on the same fn, no slot",
                run: scope_only,
                targets: Vec::new(),
            },
            Scenario {
                id: "scope.slot",
                label: "async-ext `#[async_scope]` with one `#[async_drop]` slot",
                run: scoped,
                targets: vec![Target::Ratio {
                    against: "scope.by_hand",
                    max: 2.0,
                    allocations: Some(0.0),
                    text: "0 allocations; ≤ 2× the same clean-up written by hand",
                }],
            },
        ],
    }
}
