use async_ext::{async_scope, defer_async};

async fn flush() {}

#[async_scope]
async fn handle() {
    defer_async!(flush);
}

fn main() {
    let _ = handle();
}
