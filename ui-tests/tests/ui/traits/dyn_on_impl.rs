use async_ext::async_trait_ext;

#[async_trait_ext]
trait Store {
    async fn get(&self) -> u32;
}

struct Memory;

#[async_trait_ext(dyn = none)]
impl Store for Memory {
    async fn get(&self) -> u32 {
        1
    }
}

fn main() {}
