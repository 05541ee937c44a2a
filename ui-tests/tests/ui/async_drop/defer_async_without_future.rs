use async_ext::{async_scope, defer_async};

#[async_scope]
async fn handle() {
    defer_async!();
}

fn main() {
    let _ = handle();
}
