//! Edition 2024: every async-ext macro that has landed, expanded in a crate that denies
//! warnings (the workspace enables `clippy::pedantic`, and CI runs clippy with `-D warnings`).
//! The tests run each expansion, so the crate proves it works, not only that it builds.

#![deny(warnings)]

use async_ext::for_await;
use core::future::Future;
use core::pin::Pin;
use futures_core::Stream;

/// `#[for_await]` on an async fn with a labelled, nested loop.
#[for_await]
pub async fn total<S, T>(outer: S, inner: &mut T) -> u32
where
    S: Stream<Item = u32>,
    T: Stream<Item = u32> + Unpin,
{
    let mut sum = 0;
    #[for_await]
    'outer: for x in outer {
        if x == 0 {
            continue 'outer;
        }
        sum += x;
        #[for_await]
        for y in &mut *inner {
            if y > 10 {
                break 'outer;
            }
            sum += y;
            break;
        }
    }
    sum
}

/// `#[for_await]` on a sync fn that builds (and boxes) the async block.
#[for_await]
pub fn count<S: Stream + Send + 'static>(stream: S) -> Pin<Box<dyn Future<Output = usize> + Send>> {
    Box::pin(async move {
        let mut n = 0;
        #[for_await]
        for _ in stream {
            n += 1;
        }
        n
    })
}

#[cfg(test)]
mod tests {
    use futures::executor::block_on;
    use futures::stream;

    #[test]
    fn for_await_loops() {
        let mut inner = stream::iter(vec![1, 2, 30]);
        assert_eq!(
            block_on(super::total(stream::iter(vec![0, 5, 7, 9]), &mut inner)),
            5 + 1 + 7 + 2 + 9
        );
        assert_eq!(block_on(super::count(stream::iter(0..4))), 4);
    }
}
