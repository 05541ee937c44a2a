use async_ext::async_trait_ext;

#[async_trait_ext]
trait Store {
    #[async_trait_ext(native)]
    async fn get(&self) -> u8;
}

fn main() {}

struct Memory;

#[async_trait_ext]
impl Store for Memory {
    async fn get(&self) -> u8 {
        1
    }
}
