use async_ext::{AsyncDrop, async_scope};

struct Conn;
impl AsyncDrop for Conn {
    async fn async_drop(&mut self) {}
}

#[async_scope]
async fn handle() {
    #[async_drop]
    let conn: Conn;
    conn = Conn;
    let _ = conn;
}

fn main() {
    let _ = handle();
}
