use async_ext::for_await;
use std::future::Future;

// The attribute on the fn rewrites the loop inside its async block; the error is the loop's own.
#[for_await]
fn total(numbers: Vec<u32>) -> impl Future<Output = u32> {
    async move {
        let mut sum = 0;
        #[for_await]
        for x in numbers {
            sum += x;
        }
        sum
    }
}

fn main() {
    drop(total(vec![1, 2]));
}
