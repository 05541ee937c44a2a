// `#[async_trait_ext]` (boxed) on the impl of a native-mode trait: the impl must be plain.
use async_ext::async_trait_ext;

#[async_trait_ext(native)]
trait Store {
    async fn get(&self, key: &str) -> usize;
}

struct Memory;

#[async_trait_ext]
impl Store for Memory {
    async fn get(&self, key: &str) -> usize {
        key.len()
    }
}

fn main() {}
