use async_ext::async_trait_ext;

#[async_trait_ext(native)]
trait Render {
    async fn render(&self, value: Option<impl std::fmt::Display + Send>) -> String;
}

fn main() {}
