use async_ext::async_trait_ext;

#[async_trait_ext(native)]
trait Lender {
    type Item<'a>
    where
        Self: 'a;
    async fn lend(&mut self) -> Option<Self::Item<'_>>;
}

fn main() {}
