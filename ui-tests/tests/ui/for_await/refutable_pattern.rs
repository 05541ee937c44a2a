use async_ext::for_await;
use futures_core::Stream;

#[for_await]
async fn firsts(s: impl Stream<Item = Option<u32>>) -> u32 {
    let mut sum = 0;
    #[for_await]
    for Some(x) in s {
        sum += x;
    }
    sum
}

fn main() {}
