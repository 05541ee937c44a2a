use async_ext::{AsyncDrop, async_scope};

struct Conn;
impl AsyncDrop for Conn {
    async fn async_drop(&mut self) {}
}

impl Conn {
    #[async_scope]
    async fn close(#[async_drop] self) {}
}

fn main() {
    let _ = Conn.close();
}
