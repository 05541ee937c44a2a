use async_ext::async_trait_ext;

#[async_trait_ext(native, dyn = )]
trait Store {
    async fn get(&self) -> u8;
}

fn main() {}
