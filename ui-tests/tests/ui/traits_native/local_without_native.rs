use async_ext::async_trait_ext;

#[async_trait_ext(local = LocalStore)]
trait Store {
    async fn get(&self) -> u8;
}

fn main() {}
