use futures_core::Stream;

async fn sum(numbers: impl Stream<Item = u32>) -> u32 {
    let mut sum = 0;
    #[async_ext::for_await]
    for x in numbers {
        sum += x;
    }
    sum
}

fn main() {}
