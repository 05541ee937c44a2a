use async_ext::async_trait_ext;
use std::rc::Rc;

async fn pause() {}

#[async_trait_ext(native)]
trait Store {
    async fn get(&self) -> u32 {
        let held = Rc::new(1);
        pause().await;
        *held
    }
}

fn main() {}
