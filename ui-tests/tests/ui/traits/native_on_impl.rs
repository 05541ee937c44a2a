use async_ext::async_trait_ext;

trait Store {
    async fn get(&self) -> u8;
}

struct Memory;

#[async_trait_ext(native)]
impl Store for Memory {
    async fn get(&self) -> u8 {
        1
    }
}

fn main() {}
