use async_ext::{AsyncFnMut, async_closure};

fn main() {
    let mut count = async_closure!({ let n = 0u32; } async |step: u32| -> u32 {
        n += step;
        n
    });
    let _ = count.call_mut((1,));
}
