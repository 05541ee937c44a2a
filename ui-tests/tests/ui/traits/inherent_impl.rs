use async_ext::async_trait_ext;

struct Memory;

#[async_trait_ext]
impl Memory {
    async fn get(&self) -> u8 {
        1
    }
}

fn main() {}
