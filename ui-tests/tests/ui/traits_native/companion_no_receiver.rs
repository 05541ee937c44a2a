use async_ext::async_trait_ext;

#[async_trait_ext(native)]
trait Connection {
    async fn open(address: String) -> u32;
}

fn main() {}
