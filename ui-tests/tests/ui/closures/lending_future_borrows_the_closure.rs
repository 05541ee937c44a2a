use async_ext::{AsyncFnMut, async_closure};

fn main() {
    let mut push = async_closure!({ let mut items = Vec::new(); } async |x: u32| {
        items.push(x);
        items.len()
    });
    let first = push.call_mut((1,));
    let second = push.call_mut((2,));
    drop((first, second));
}
