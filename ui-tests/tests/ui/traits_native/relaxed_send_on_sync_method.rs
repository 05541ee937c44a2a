use async_ext::async_trait_ext;

#[async_trait_ext(native)]
trait Store {
    #[async_trait_ext(?Send)]
    fn name(&self) -> &str;
}

fn main() {}
