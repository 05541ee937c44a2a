use async_ext::AsyncDrop;

struct Inner;
impl AsyncDrop for Inner {
    async fn async_drop(&mut self) {}
}

#[derive(AsyncDrop)]
enum Link {
    #[async_drop]
    Open(Inner),
    Closed,
}

fn main() {
    let _ = [Link::Open(Inner), Link::Closed];
}
