use async_ext::{async_stream, async_trait_ext};

#[async_trait_ext(native, local = LocalStore, dyn = none)]
trait Store {
    async fn get(&self) -> u32;
    #[async_stream(item = u32)]
    async fn all(&self);
}

fn main() {}
