use async_ext::{AsyncDrop, async_scope};

struct Conn;
impl AsyncDrop for Conn {
    async fn async_drop(&mut self) {}
}

#[async_scope]
async fn handle() {
    #[async_drop]
    let (a, b) = (Conn, Conn);
    let _ = (a, b);
}

fn main() {
    let _ = handle();
}
