// A native trait's `async fn`s return `impl Future`, so `dyn Store` is not allowed; the
// companion `DynStore` is its `dyn` form.
use async_ext::async_trait_ext;

#[async_trait_ext(native)]
pub trait Store {
    async fn get(&self, key: &str) -> Option<u32>;
    async fn len(&self) -> usize {
        0
    }
    fn name(&self) -> &str;
}

struct Memory;

impl Store for Memory {
    async fn get(&self, _key: &str) -> Option<u32> {
        None
    }
    fn name(&self) -> &str {
        "memory"
    }
}

fn main() {
    let store: Box<dyn Store> = Box::new(Memory);
    let _ = store;
}
