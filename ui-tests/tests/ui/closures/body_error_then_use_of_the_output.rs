use async_ext::{AsyncFn, async_closure};

async fn demo() {
    let add = async_closure!({ let total = 0u32; } async |x: u32| -> u32 {
        total += x;
        total
    });
    // No second error: the stand-in closure's output is the declared `u32`.
    let sum: u32 = add.call((1,)).await;
    assert_eq!(add.call((2,)).await, sum + 2);
}

fn main() {
    let _ = demo();
}
