use async_ext::{async_scope, defer_async};

#[async_scope]
async fn handle() {
    let task = async {
        defer_async!(async {});
    };
    task.await;
}

fn main() {
    let _ = handle();
}
