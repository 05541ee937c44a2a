use async_ext::async_trait_ext;

#[async_trait_ext(native, local = LocalRender, dyn = none)]
trait Render {
    async fn render(&self, #[cfg_attr(test, cfg(unix))] value: u8) -> String;
}

fn main() {}
