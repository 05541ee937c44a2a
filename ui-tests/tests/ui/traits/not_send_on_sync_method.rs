use async_ext::async_trait_ext;

#[async_trait_ext]
trait Store {
    #[async_trait_ext(?Send)]
    fn name(&self) -> &'static str;
    async fn get(&self) -> u8;
}

fn main() {}
