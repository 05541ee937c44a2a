use async_ext::{AsyncDrop, async_scope};
use std::rc::Rc;

struct Conn;
impl AsyncDrop for Conn {
    async fn async_drop(&mut self) {}
}

// The value is held while the clean-up is awaited, so it must be `Send` for a `Send` future.
#[async_scope]
async fn handle(#[async_drop] conn: Conn) -> Rc<u8> {
    let _ = conn;
    Rc::new(1)
}

fn main() {
    fn is_send<T: Send>(_: T) {}
    is_send(handle(Conn));
}
