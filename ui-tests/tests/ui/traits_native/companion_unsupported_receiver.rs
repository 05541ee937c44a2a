use async_ext::async_trait_ext;

#[async_trait_ext(native)]
trait Connection {
    async fn close(self: &Box<Self>) -> u32;
}

fn main() {}
