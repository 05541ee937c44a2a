use async_ext::{AsyncFnMut, async_closure};

fn main() {
    let mut add = async_closure!({ let mut n = 1u32; let n = 2u32; } async |x: u32| n + x);
    let _future = add.call_mut((1,));
}
