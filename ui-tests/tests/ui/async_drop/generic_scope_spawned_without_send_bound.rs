use async_ext::{AsyncDrop, async_scope};

#[async_scope]
async fn work<T: AsyncDrop + Send>(#[async_drop] value: T) {
    let _ = value;
}

fn spawn<T: AsyncDrop + Send + 'static>(value: T) {
    fn needs_send<F: Send>(_: F) {}
    needs_send(work(value));
}

fn main() {
    struct Conn;
    impl AsyncDrop for Conn {
        async fn async_drop(&mut self) {}
    }
    spawn(Conn);
}
