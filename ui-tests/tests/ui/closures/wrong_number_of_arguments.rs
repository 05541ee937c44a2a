use async_ext::{AsyncFn, async_closure};

fn main() {
    let add = async_closure!({ let k = 1u32; } async |x: u32, y: u32| x + y + k);
    let _ = add.call((1,));
}
