use async_ext::async_trait_ext;

#[async_trait_ext(native)]
pub trait Store {
    async fn get(&self) -> u32;
}

struct Memory;

impl Store for Memory {
    async fn get(&self) -> u32 {
        1
    }
}

fn main() {
    // Already boxed: `DynStore::from_box` is the constructor for that.
    let _store = DynStore::boxed(Box::new(Memory));
}
