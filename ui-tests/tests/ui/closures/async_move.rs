use async_ext::{AsyncFn, async_closure};

fn main() {
    let name = String::from("ferris");
    let greet = async_closure!(async move |greeting: &str| format!("{greeting}, {name}"));
    // No second error here: after an error the macro still gives a callable closure.
    let _future = greet.call(("hello",));
}
