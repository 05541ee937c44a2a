use async_ext::{AsyncDrop, async_scope, disarm};

struct Conn;
impl AsyncDrop for Conn {
    async fn async_drop(&mut self) {}
}

#[async_scope]
async fn handle(plain: Conn) -> Conn {
    disarm!(plain)
}

fn main() {
    let _ = handle(Conn);
}
