use async_ext::async_scope;

#[async_scope(Send)]
async fn handle() {}

fn main() {
    let _ = handle();
}
