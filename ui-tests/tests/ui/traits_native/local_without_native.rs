use async_ext::async_trait_ext;

#[async_trait_ext(local = LocalStore)]
trait Store {
    async fn get(&self) -> u32;
}

fn main() {}
