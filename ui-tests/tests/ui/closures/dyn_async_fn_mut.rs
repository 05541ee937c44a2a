use async_ext::AsyncFnMut;

fn main() {
    // `AsyncFnMut` names its futures' types, so it cannot be a trait object: the error quotes
    // the line that says which trait to use instead.
    let _handlers: Vec<Box<dyn AsyncFnMut<(u32,), Output = u32> + Send>> = Vec::new();
}
