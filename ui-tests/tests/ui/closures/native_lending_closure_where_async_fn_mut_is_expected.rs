use async_ext::AsyncFnMut;

async fn call<F: AsyncFnMut<(u32,), Output = usize>>(mut f: F) -> usize {
    f.call_mut((1,)).await
}

fn main() {
    // The future borrows `owned` from the closure: a lending native closure is not a plain
    // `Fn`, so it gets no blanket impl; `async_closure!` makes one that is.
    let owned = String::from("owned");
    let _ = call(async move |x: u32| owned.len() + x as usize);
}
