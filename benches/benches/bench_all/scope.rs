//! `#[async_scope]` with one `#[async_drop]` slot against the same fn without it.

use std::hint::black_box;

use async_ext_benches::executor::block_on;
use async_ext_benches::measure::{Group, Scenario};

/// A value whose clean-up is trivial, so the row shows the scope's own cost.
pub(crate) struct Guard(u64);

impl Drop for Guard {
    #[inline]
    fn drop(&mut self) {
        black_box(self.0);
    }
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
        scenarios: vec![Scenario {
            id: "scope.plain",
            label: "the same fn without `#[async_scope]` (sync `Drop` only)",
            run: plain,
            targets: Vec::new(),
        }],
    }
}
