use async_ext::AsyncDrop;

struct Inner;
impl AsyncDrop for Inner {
    async fn async_drop(&mut self) {}
}

#[derive(AsyncDrop)]
struct Conn {
    #[async_drop(send)]
    inner: Inner,
}

fn main() {
    let _ = Conn { inner: Inner }.inner;
}
