use async_ext::async_trait_ext;

/// # Safety
/// None.
#[async_trait_ext(native)]
unsafe trait Connection {
    async fn ping(&self) -> u32;
}

fn main() {}
