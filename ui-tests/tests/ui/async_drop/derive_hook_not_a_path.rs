use async_ext::AsyncDrop;

#[derive(AsyncDrop)]
#[async_drop(hook = "close")]
struct Conn {
    open: bool,
}

impl Conn {
    async fn close(&mut self) {
        self.open = false;
    }
}

fn main() {
    fn is_async_drop<T: AsyncDrop>(_: &T) {}
    is_async_drop(&Conn { open: true });
}
