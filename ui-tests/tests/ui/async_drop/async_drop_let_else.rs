use async_ext::{AsyncDrop, async_scope};

struct Conn;
impl AsyncDrop for Conn {
    async fn async_drop(&mut self) {}
}

#[async_scope]
async fn handle(maybe: Option<Conn>) {
    #[async_drop]
    let Some(conn) = maybe else { return };
    let _ = conn;
}

fn main() {
    let _ = handle(None);
}
