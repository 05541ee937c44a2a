use async_ext::{AsyncDrop, async_scope, disarm};

struct Conn(u8);
impl AsyncDrop for Conn {
    async fn async_drop(&mut self) {}
}

#[async_scope]
async fn handle() -> Conn {
    #[async_drop]
    let conn = Conn(1);
    let taken = disarm!(conn);
    conn.0 += 1;
    taken
}

fn main() {
    let _ = handle();
}
