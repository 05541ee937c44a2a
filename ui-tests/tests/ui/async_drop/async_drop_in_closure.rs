use async_ext::{AsyncDrop, async_scope};

struct Conn;
impl AsyncDrop for Conn {
    async fn async_drop(&mut self) {}
}

#[async_scope]
async fn handle() {
    let open = || {
        #[async_drop]
        let conn = Conn;
        conn
    };
    let _ = open();
}

fn main() {
    let _ = handle();
}
