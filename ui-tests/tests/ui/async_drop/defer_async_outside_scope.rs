use async_ext::defer_async;

async fn handle() {
    defer_async!(async {});
}

fn main() {
    let _ = handle();
}
