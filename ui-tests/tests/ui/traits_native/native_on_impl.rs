use async_ext::async_trait_ext;

#[async_trait_ext(native)]
trait Store {
    async fn get(&self) -> u32;
}

struct Memory;

#[async_trait_ext(native)]
impl Store for Memory {
    async fn get(&self) -> u32 {
        1
    }
}

fn main() {}
