#[async_trait_ext(native)]
/// A key-value store.
pub trait Store {
    async fn get(&self, key: &str) -> Option<u32>;
    fn name(&self) -> &str;
}
