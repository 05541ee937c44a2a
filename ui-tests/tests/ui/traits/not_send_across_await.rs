use async_ext::async_trait_ext;
use std::rc::Rc;

async fn tick() {}

#[async_trait_ext]
trait Counter {
    async fn count(&self) -> usize;
}

struct Local;

#[async_trait_ext]
impl Counter for Local {
    async fn count(&self) -> usize {
        let shared = Rc::new(1);
        tick().await;
        *shared
    }
}

fn main() {}
