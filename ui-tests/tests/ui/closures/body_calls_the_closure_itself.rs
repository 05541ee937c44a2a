use async_ext::{AsyncFn, async_closure};

fn main() {
    // A body cannot name the closure it is part of: recursion needs an `async fn`.
    let count = async_closure!(async |n: u32| -> u32 {
        if n == 0 { 0 } else { 1 + count.call((n - 1,)).await }
    });
    let _ = count;
}
