#[async_trait_ext]
pub trait Store {
    async fn get(&self, key: &str) -> Option<u32>;
}
