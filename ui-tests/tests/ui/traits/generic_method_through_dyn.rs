use async_ext::async_trait_ext;

#[async_trait_ext]
trait Store {
    async fn put<T: Send + 'static>(&self, value: T);
}

struct Memory;

#[async_trait_ext]
impl Store for Memory {
    async fn put<T: Send + 'static>(&self, value: T) {
        drop(value);
    }
}

fn main() {
    let _store: Box<dyn Store> = Box::new(Memory);
}
