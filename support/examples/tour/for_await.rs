//! Tour stop: `for await` over any `Stream`, on stable.

use async_ext::for_await;
use futures::stream::{self, Stream};

#[for_await]
async fn sum_and_trace(numbers: impl Stream<Item = u32>) -> u32 {
    let mut sum = 0;
    #[for_await]
    'outer: for x in numbers {
        if x == 4 {
            println!("  x = 4: continue 'outer, as in a `for` loop");
            continue 'outer;
        }
        sum += x;
        println!("  got {x}, running sum {sum}");
    }
    sum
}

pub(crate) fn run() {
    println!("for await: `#[for_await] for x in stream {{ … }}` in a `#[for_await] async fn`");
    let sum = futures::executor::block_on(sum_and_trace(stream::iter([1, 2, 3, 4, 5])));
    println!("  sum without the 4: {sum}\n");
}
