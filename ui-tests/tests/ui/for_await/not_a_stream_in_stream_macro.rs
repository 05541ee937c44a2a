use async_ext::stream;
use futures_core::Stream;

fn doubled(numbers: Vec<u32>) -> impl Stream<Item = u32> {
    stream! {
        for await x in numbers {
            yield x * 2;
        }
    }
}

fn main() {
    let _ = doubled(vec![1, 2]);
}
