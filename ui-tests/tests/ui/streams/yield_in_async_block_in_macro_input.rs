use async_ext::stream;
use futures_core::Stream;

// A `yield` inside another macro's input is rewritten like one in the body, so the nesting
// rules are the same: an async block there cannot yield from the stream.
fn numbers() -> impl Stream<Item = u32> {
    stream! {
        let tasks = vec![async { yield 1; }];
        drop(tasks);
        yield 2;
    }
}

fn main() {
    let _ = numbers();
}
