use async_ext::stream;
use futures_core::Stream;

fn numbers() -> impl Stream<Item = u32> {
    stream! {
        let emit = |n: u32| {
            yield n;
        };
        emit(1);
        yield 2;
    }
}

fn main() {
    let _ = numbers();
}
