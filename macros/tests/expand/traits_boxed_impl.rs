#[async_trait_ext]
impl Store for Memory {
    async fn get(&self, key: &str) -> Option<u32> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
    }
}
