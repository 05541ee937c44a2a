use async_ext::for_await;
use futures_core::Stream;

#[for_await]
fn count(s: impl Stream<Item = u32>) -> usize {
    let mut n = 0;
    #[for_await]
    for _ in s {
        n += 1;
    }
    n
}

fn main() {}
