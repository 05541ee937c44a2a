use async_ext::stream;
use futures_core::Stream;

fn numbers() -> impl Stream<Item = u32> {
    stream! {
        let task = async move {
            yield 1;
        };
        task.await;
        yield 2;
    }
}

fn main() {
    let _ = numbers();
}
