use async_ext::async_closure;
use std::future::Future;

// The bound of `StreamExt::then`, `for_each`, `filter_map`, …
fn then<F, Fut>(_: F)
where
    F: FnMut(u32) -> Fut,
    Fut: Future,
{
}

fn main() {
    let scale = async_closure!({ let factor = 10u32; } async |x: u32| -> u32 { x * factor });
    then(scale);
}
