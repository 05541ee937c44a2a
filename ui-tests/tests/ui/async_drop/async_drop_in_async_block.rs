use async_ext::{AsyncDrop, async_scope};

struct Conn;
impl AsyncDrop for Conn {
    async fn async_drop(&mut self) {}
}

#[async_scope]
async fn handle() {
    let task = async {
        #[async_drop]
        let conn = Conn;
        let _ = conn;
    };
    task.await;
}

fn main() {
    let _ = handle();
}
