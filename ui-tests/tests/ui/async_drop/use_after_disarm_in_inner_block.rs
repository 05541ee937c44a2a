use async_ext::{AsyncDrop, async_scope, disarm};

struct Conn(u8);

impl AsyncDrop for Conn {
    async fn async_drop(&mut self) {}
}

#[async_scope]
async fn handle(#[async_drop] conn: Conn) -> u8 {
    let taken = {
        let kept = disarm!(conn);
        kept
    };
    let n = conn.0;
    taken.0 + n
}

fn main() {
    let _ = handle(Conn(1));
}
