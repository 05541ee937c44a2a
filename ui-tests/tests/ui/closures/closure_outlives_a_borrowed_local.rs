use async_ext::{AsyncFn, async_closure};

// An outer local not in the capture block is borrowed: the closure cannot outlive it.
fn make() -> impl AsyncFn<(), Output = usize> {
    let outer = String::from("outer");
    async_closure!(async || outer.len())
}

fn main() {
    let _ = make();
}
