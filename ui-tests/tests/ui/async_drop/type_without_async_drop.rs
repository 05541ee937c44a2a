use async_ext::async_scope;

struct Conn;

#[async_scope]
async fn handle() {
    #[async_drop]
    let conn = Conn;
    let _ = conn;
}

fn main() {
    let _ = handle();
}
