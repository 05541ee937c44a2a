use async_ext::async_trait_ext;

#[async_trait_ext(native)]
trait Render {
    fn parts(&self) -> Vec<impl std::fmt::Display>;
}

fn main() {}
