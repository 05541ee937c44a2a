use async_ext::stream;
use futures_core::Stream;
use std::rc::Rc;

fn spawn_like<S: Stream + Send + 'static>(_: S) {}

fn main() {
    spawn_like(stream! {
        let shared = Rc::new(1u32);
        yield *shared;
        yield *shared + 1;
    });
}
