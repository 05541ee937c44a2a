use async_ext::{AsyncFnExt, async_closure};

fn main() {
    // `as_fn` needs calls that may overlap (`AsyncFn`); a `let mut` capture makes the closure
    // an `AsyncFnMut` only.
    let mut total = async_closure!({ let mut sum = 0u32; } async |x: u32| -> u32 { sum += x; sum });
    let _f = total.as_fn();
    let _ = &mut total;
}
