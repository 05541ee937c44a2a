use async_ext::{for_await, stream};
use futures_core::Stream;

fn numbers() -> impl Stream<Item = u32> {
    stream! {
        yield 1;
    }
}

#[for_await]
async fn first_then_rest() -> u32 {
    let mut s = numbers();
    let mut sum = 0;
    #[for_await]
    for x in &mut s {
        sum += x;
    }
    sum
}

fn main() {
    drop(first_then_rest());
}
