use std::rc::Rc;

use async_ext::{AsyncFnMutSend, async_closure};

fn spawn_like<F: AsyncFnMutSend<(u32,), Output = u32> + Send + 'static>(_: F) {}

fn main() {
    let counter = async_closure!({ let mut n = 0u32; let shared = Rc::new(5u32); }
        async |x: u32| -> u32 {
            n += x + *shared;
            n
        });
    spawn_like(counter);
}
