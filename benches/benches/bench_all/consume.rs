//! Consuming a stream: the `#[for_await]` loop against the hand-written
//! `while let Some(x) = s.next().await` loop, over the same hand-written stream.

use std::hint::black_box;
use std::pin::pin;

use async_ext::for_await;
use async_ext_benches::executor::block_on;
use async_ext_benches::measure::{Group, Scenario};
use async_ext_benches::report::Target;
use futures::stream::{Stream, StreamExt};

use crate::streams::Counter;

#[inline(never)]
fn while_let_sum<S: Stream<Item = u64>>(stream: S) -> u64 {
    block_on(async {
        let mut stream = pin!(stream);
        let mut sum = 0u64;
        while let Some(x) = stream.next().await {
            sum = sum.wrapping_add(black_box(x));
        }
        sum
    })
}

#[for_await]
async fn for_await_body<S: Stream<Item = u64>>(stream: S) -> u64 {
    let mut sum = 0u64;
    #[for_await]
    for x in stream {
        sum = sum.wrapping_add(black_box(x));
    }
    sum
}

#[inline(never)]
fn for_await_sum<S: Stream<Item = u64>>(stream: S) -> u64 {
    block_on(for_await_body(stream))
}

fn while_let(n: u64) -> u64 {
    while_let_sum(Counter::new(black_box(n)))
}

fn for_await_loop(n: u64) -> u64 {
    for_await_sum(Counter::new(black_box(n)))
}

pub(crate) fn group() -> Group {
    Group {
        title: "Consuming a stream",
        unit: "item",
        peer: "consume.while_let",
        note: "Summing the hand-written counter stream in an `#[inline(never)]` fn.",
        scenarios: vec![
            Scenario {
                id: "consume.while_let",
                label: "`while let Some(x) = s.next().await`",
                run: while_let,
                targets: Vec::new(),
            },
            Scenario {
                id: "consume.for_await",
                label: "async-ext `#[for_await]` loop",
                run: for_await_loop,
                targets: vec![Target::Ratio {
                    against: "consume.while_let",
                    max: 1.05,
                    allocations: Some(0.0),
                    text: "≤ 1.05× the `while let` loop",
                }],
            },
        ],
    }
}
