use async_ext::{AsyncFn, async_closure};

fn call_shared<F: AsyncFn<(u32,), Output = u32>>(_: F) {}

fn main() {
    let count = async_closure!({ let mut n = 0u32; } async |x: u32| { n += x; n });
    call_shared(count);
}
