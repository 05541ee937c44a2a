// The attack on the runtime's `unsafe`: smuggle the yielder out of the body so it outlives
// the stream. The macro binds it with mixed-site hygiene: user code cannot name it.
use async_ext::stream;
use futures_core::Stream;

fn numbers() -> impl Stream<Item = u32> {
    stream! {
        let stolen = __async_ext_yielder;
        drop(stolen);
        yield 1;
    }
}

fn main() {
    let _ = numbers();
}
