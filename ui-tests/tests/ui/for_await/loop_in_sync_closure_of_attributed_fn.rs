use async_ext::for_await;
use futures_core::Stream;

// The loop is rewritten, but a plain closure is not async: rustc says so at the `for`.
#[for_await]
async fn counts(s: impl Stream<Item = u32>) -> usize {
    let count = |s| {
        let mut n = 0;
        #[for_await]
        for _ in s {
            n += 1;
        }
        n
    };
    count(s)
}

fn main() {
    drop(counts(async_ext::stream! { yield 1u32; }));
}
