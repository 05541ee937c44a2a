use async_ext::async_trait_ext;

#[async_trait_ext(native)]
trait Store {
    async fn get(&self) -> u32;
}

struct Memory;

impl Store for Memory {
    fn get(&self) -> u32 {
        1
    }
}

fn main() {}
