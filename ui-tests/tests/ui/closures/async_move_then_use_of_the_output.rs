use async_ext::{AsyncFn, async_closure};

async fn demo() {
    let name = String::from("ferris");
    let greet = async_closure!(async move |greeting: &str| -> String { format!("{greeting}, {name}") });
    // No second error: after reporting `move`, the macro expands the closure without it.
    let text: String = greet.call(("hello",)).await;
    assert_eq!(greet.call(("hi",)).await, "hi, ferris");
    let _ = text;
}

fn main() {
    let _ = demo();
}
