use async_ext::async_trait_ext;

#[async_trait_ext(native)]
trait Connection: Clone {
    async fn ping(&self) -> u32;
}

fn main() {}
