use async_ext::async_trait_ext;

#[async_trait_ext]
trait Cache {
    #[async_trait_ext(?Send)]
    async fn local(&self) -> usize;
}

struct Impl;

#[async_trait_ext]
impl Cache for Impl {
    async fn local(&self) -> usize {
        1
    }
}

fn main() {}
