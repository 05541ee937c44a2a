use async_ext::stream;
use futures_core::Stream;

fn numbers() -> impl Stream<Item = u32> {
    stream!(<u32> {
        yield 1;
        yield "two";
    })
}

fn main() {
    let _ = numbers();
}
