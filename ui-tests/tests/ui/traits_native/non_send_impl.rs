use async_ext::async_trait_ext;
use std::rc::Rc;

#[async_trait_ext(native)]
trait Store {
    async fn get(&self) -> u32;
}

struct Memory;

async fn pause() {}

impl Store for Memory {
    async fn get(&self) -> u32 {
        let held = Rc::new(1);
        pause().await;
        *held
    }
}

fn main() {}
