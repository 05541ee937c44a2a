use async_ext::async_trait_ext;

#[async_trait_ext(native)]
trait Store {
    const CAPACITY: usize;
    async fn get(&self) -> u32;
}

fn main() {}
