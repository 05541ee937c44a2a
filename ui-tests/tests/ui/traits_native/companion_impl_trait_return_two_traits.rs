use async_ext::async_trait_ext;

#[async_trait_ext(native)]
trait Render {
    fn parts(&self) -> impl Iterator<Item = u8> + Clone;
}

fn main() {}
