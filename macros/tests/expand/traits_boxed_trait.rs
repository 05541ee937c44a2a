#[async_trait_ext]
/// A key-value store.
pub trait Store {
    async fn get(&self, key: &str) -> Option<u32>;
}
