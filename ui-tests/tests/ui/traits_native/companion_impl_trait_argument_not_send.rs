use async_ext::async_trait_ext;

#[async_trait_ext(native)]
trait Render {
    async fn render(&self, value: impl std::fmt::Display) -> String;
}

fn main() {}
