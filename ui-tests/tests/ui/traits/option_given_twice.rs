use async_ext::async_trait_ext;

#[async_trait_ext(native, native)]
trait Store {
    async fn get(&self) -> u8;
}

fn main() {}
