use std::rc::Rc;

use async_ext::{AsyncFnMutSend, async_closure};

async fn tick() {}

fn call_from_any_thread<F: AsyncFnMutSend<(u32,), Output = u32>>(_: F) {}

fn main() {
    let counter = async_closure!({ let mut n = 0u32; let shared = Rc::new(5u32); }
        async |x: u32| -> u32 {
            n += x;
            tick().await;
            n + *shared
        });
    call_from_any_thread(counter);
}
