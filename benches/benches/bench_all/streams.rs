//! Streams: the same body (`for i in 0..n { yield i }`, every item through `black_box`) as a
//! hand-written `Stream`, `futures::stream::unfold`, async-stream and async-ext, summed by the
//! same consumer loop, statically and through `Pin<Box<dyn Stream>>`.

use std::hint::black_box;
use std::pin::{Pin, pin};
use std::task::{Context, Poll};

use async_ext_benches::executor::block_on;
use async_ext_benches::measure::{Group, Scenario};
use async_ext_benches::report::Target;
use futures::stream::{Stream, StreamExt};

/// The hand-written stream: a counter.
pub(crate) struct Counter {
    next: u64,
    end: u64,
}

impl Counter {
    pub(crate) fn new(end: u64) -> Self {
        Counter { next: 0, end }
    }
}

impl Stream for Counter {
    type Item = u64;

    #[inline]
    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<u64>> {
        if self.next < self.end {
            let item = self.next;
            self.next += 1;
            Poll::Ready(Some(black_box(item)))
        } else {
            Poll::Ready(None)
        }
    }
}

pub(crate) fn unfold(end: u64) -> impl Stream<Item = u64> {
    futures::stream::unfold(0u64, move |i| async move {
        (i < end).then(|| (black_box(i), i + 1))
    })
}

pub(crate) fn async_stream(end: u64) -> impl Stream<Item = u64> {
    async_stream::stream! {
        for i in 0..end {
            yield black_box(i);
        }
    }
}

pub(crate) fn ext_stream(end: u64) -> impl Stream<Item = u64> {
    async_ext::stream! {
        for i in 0..end {
            yield black_box(i);
        }
    }
}

#[async_ext::async_stream(item = u64)]
pub(crate) async fn ext_attribute(end: u64) {
    for i in 0..end {
        yield_!(black_box(i));
    }
}

/// Sums a stream, monomorphised for it (its `poll_next` may be inlined into the loop).
#[inline(never)]
pub(crate) fn sum_static<S: Stream<Item = u64>>(stream: S) -> u64 {
    block_on(async {
        let mut stream = pin!(stream);
        let mut sum = 0u64;
        while let Some(item) = stream.next().await {
            sum = sum.wrapping_add(black_box(item));
        }
        sum
    })
}

/// Sums a boxed stream: every item through a virtual call.
#[inline(never)]
pub(crate) fn sum_dyn(mut stream: Pin<Box<dyn Stream<Item = u64> + '_>>) -> u64 {
    block_on(async {
        let mut sum = 0u64;
        while let Some(item) = stream.next().await {
            sum = sum.wrapping_add(black_box(item));
        }
        sum
    })
}

/// `n` streams of one item each, summed.
#[inline(always)]
fn streams_of_one<S: Stream<Item = u64>>(n: u64, make: impl Fn(u64) -> S) -> u64 {
    let mut sum = 0u64;
    for _ in 0..n {
        sum = sum.wrapping_add(sum_static(make(black_box(1))));
    }
    sum
}

/// The rows of one implementation: per item static, per item dyn, per stream.
macro_rules! stream_runs {
    ($make:expr => $item_static:ident, $item_dyn:ident, $per_stream:ident) => {
        fn $item_static(n: u64) -> u64 {
            sum_static($make(black_box(n)))
        }
        fn $item_dyn(n: u64) -> u64 {
            sum_dyn(Box::pin($make(black_box(n))))
        }
        fn $per_stream(n: u64) -> u64 {
            streams_of_one(n, $make)
        }
    };
}

stream_runs!(Counter::new => hand_static, hand_dyn, hand_stream);
stream_runs!(unfold => unfold_static, unfold_dyn, unfold_stream);
stream_runs!(async_stream => async_stream_static, async_stream_dyn, async_stream_stream);
stream_runs!(ext_stream => ext_static, ext_dyn, ext_stream_stream);
stream_runs!(ext_attribute => ext_attribute_static, ext_attribute_dyn, ext_attribute_stream);

fn scenario(id: &'static str, label: &'static str, run: fn(u64) -> u64) -> Scenario {
    Scenario {
        id,
        label,
        run,
        targets: Vec::new(),
    }
}

/// Per item, statically dispatched.
pub(crate) fn per_item_static() -> Group {
    Group {
        title: "Stream, per item, static dispatch",
        unit: "item",
        peer: "stream.item.static.hand",
        note: "One stream of `n` items summed by `while let Some(x) = s.next().await` in an \
               `#[inline(never)]` fn generic over the stream (instructions and allocations per item: \
               (2n items − n items) / n).",
        scenarios: vec![
            scenario(
                "stream.item.static.hand",
                "hand-written `Stream`",
                hand_static,
            ),
            scenario(
                "stream.item.static.unfold",
                "`futures::stream::unfold`",
                unfold_static,
            ),
            scenario(
                "stream.item.static.async_stream",
                "async-stream `stream!`",
                async_stream_static,
            ),
            Scenario {
                id: "stream.item.static.ext",
                label: "async-ext `stream!`",
                run: ext_static,
                targets: vec![
                    Target::Ratio {
                        against: "stream.item.static.async_stream",
                        max: 1.0,
                        allocations: Some(0.0),
                        text: "≤ 1.0× async-stream",
                    },
                    Target::Ratio {
                        against: "stream.item.static.hand",
                        max: 3.0,
                        allocations: None,
                        text: "aim: ≤ 3× hand-written (native `async gen`)",
                    },
                ],
            },
            scenario(
                "stream.item.static.ext_attribute",
                "async-ext `#[async_stream]`",
                ext_attribute_static,
            ),
        ],
    }
}

/// Per item, through `Pin<Box<dyn Stream>>`.
pub(crate) fn per_item_dyn() -> Group {
    Group {
        title: "Stream, per item, through `Pin<Box<dyn Stream>>`",
        unit: "item",
        peer: "stream.item.dyn.hand",
        note: "The same streams boxed once and summed through the `dyn Stream` vtable.",
        scenarios: vec![
            scenario("stream.item.dyn.hand", "hand-written `Stream`", hand_dyn),
            scenario(
                "stream.item.dyn.unfold",
                "`futures::stream::unfold`",
                unfold_dyn,
            ),
            scenario(
                "stream.item.dyn.async_stream",
                "async-stream `stream!`",
                async_stream_dyn,
            ),
            Scenario {
                id: "stream.item.dyn.ext",
                label: "async-ext `stream!`",
                run: ext_dyn,
                targets: vec![Target::Ratio {
                    against: "stream.item.dyn.async_stream",
                    max: 1.0,
                    allocations: Some(0.0),
                    text: "≤ 1.0× async-stream",
                }],
            },
            scenario(
                "stream.item.dyn.ext_attribute",
                "async-ext `#[async_stream]`",
                ext_attribute_dyn,
            ),
        ],
    }
}

/// Per stream: make a one-item stream and drain it.
pub(crate) fn per_stream() -> Group {
    Group {
        title: "Stream, per stream (one item each)",
        unit: "stream",
        peer: "stream.stream.hand",
        note: "Make a stream of one item and sum it through the static consumer: the cost of \
               setting a stream up and ending it, allocations included.",
        scenarios: vec![
            scenario("stream.stream.hand", "hand-written `Stream`", hand_stream),
            scenario(
                "stream.stream.unfold",
                "`futures::stream::unfold`",
                unfold_stream,
            ),
            scenario(
                "stream.stream.async_stream",
                "async-stream `stream!`",
                async_stream_stream,
            ),
            Scenario {
                id: "stream.stream.ext",
                label: "async-ext `stream!`",
                run: ext_stream_stream,
                targets: vec![Target::Allocations {
                    allocations: 0.0,
                    text: "0 allocations",
                }],
            },
            Scenario {
                id: "stream.stream.ext_attribute",
                label: "async-ext `#[async_stream]`",
                run: ext_attribute_stream,
                targets: vec![Target::Allocations {
                    allocations: 0.0,
                    text: "0 allocations",
                }],
            },
        ],
    }
}

/// `size_of` of each stream for the same body: the row's label, the size, and for async-ext's
/// rows the size of async-stream's, which is the target.
pub(crate) fn sizes() -> Vec<(&'static str, usize, Option<usize>)> {
    let async_stream_size = size_of_val(&async_stream(0));
    vec![
        ("hand-written `Stream`", size_of_val(&Counter::new(0)), None),
        ("`futures::stream::unfold`", size_of_val(&unfold(0)), None),
        ("async-stream `stream!`", async_stream_size, None),
        (
            "async-ext `stream!`",
            size_of_val(&ext_stream(0)),
            Some(async_stream_size),
        ),
        (
            "async-ext `#[async_stream]`",
            size_of_val(&ext_attribute(0)),
            Some(async_stream_size),
        ),
    ]
}
