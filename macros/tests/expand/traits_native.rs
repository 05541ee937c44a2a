#[async_trait_ext(native, dyn = none)]
pub trait Store {
    /// Looks a key up.
    async fn get(&self, key: &str) -> Option<u32>;
    async fn put(&mut self, key: String, value: u32);
    async fn len(&self) -> usize { 0 }
    fn name(&self) -> &str;
}
