use async_ext::async_trait_ext;

#[async_trait_ext(native)]
trait Render {
    async fn render<T: std::fmt::Display + Send>(&self, value: T) -> String;
}

fn main() {}
