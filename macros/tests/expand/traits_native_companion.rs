#[async_trait_ext(native)]
pub trait Store {
    async fn get(&self, key: &str) -> Option<u32>;
    fn name(&self) -> &str;
}
