//! A `#[for_await]` fn that is not async but builds an async block compiles warning-free.
#![deny(warnings)]

use async_ext::for_await;
use futures_core::Stream;

#[for_await]
fn count<S: Stream<Item = u8>>(s: S) -> impl Future<Output = usize> {
    async move {
        let mut n = 0;
        #[for_await]
        for _ in s {
            n += 1;
        }
        n
    }
}

fn main() {
    let _ = count::<core::pin::Pin<Box<dyn Stream<Item = u8>>>>;
}
