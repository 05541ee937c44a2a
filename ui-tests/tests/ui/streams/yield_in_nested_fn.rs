use async_ext::stream;
use futures_core::Stream;

fn numbers() -> impl Stream<Item = u32> {
    stream! {
        fn helper() {
            yield 1;
        }
        helper();
        yield 2;
    }
}

fn main() {
    let _ = numbers();
}
