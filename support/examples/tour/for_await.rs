//! Tour stop: `for await` over any `Stream`, on stable.

use async_ext::for_await;
use futures::stream::{self, Stream};

use crate::show::{code, printed, stop};

const SOURCE: &str = include_str!("for_await.rs");

// tour: loop
#[for_await]
async fn sum_and_trace(numbers: impl Stream<Item = u32>, trace: &mut Vec<String>) -> u32 {
    let mut sum = 0;
    #[for_await]
    'outer: for x in numbers {
        if x == 4 {
            trace.push("x = 4: continue 'outer".to_owned());
            continue 'outer;
        }
        sum += x;
        trace.push(format!("got {x}, running sum {sum}"));
    }
    sum
}
// tour: end

pub(crate) fn run() {
    stop("for await: `#[for_await] for x in stream { … }` in a `#[for_await] async fn`");
    code(file!(), SOURCE, "loop");
    code(file!(), SOURCE, "call");
    // tour: call
    let mut trace = Vec::new();
    let numbers = stream::iter([1, 2, 3, 4, 5]);
    let sum = futures::executor::block_on(sum_and_trace(numbers, &mut trace));
    // tour: end
    trace.into_iter().for_each(printed);
    printed(format!("sum = {sum}"));
    println!();
}
