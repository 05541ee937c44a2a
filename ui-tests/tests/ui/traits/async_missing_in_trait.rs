use async_ext::async_trait_ext;

#[async_trait_ext]
trait Store {
    fn get(&self, key: &str) -> usize;
}

struct Memory;

#[async_trait_ext]
impl Store for Memory {
    async fn get(&self, key: &str) -> usize {
        key.len()
    }
}

fn main() {}
