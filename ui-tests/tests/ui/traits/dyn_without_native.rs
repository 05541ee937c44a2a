use async_ext::async_trait_ext;

// `dyn = …` belongs to native mode: in boxed mode it would be silently ignored.
#[async_trait_ext(dyn = AnyStore)]
trait Store {
    async fn get(&self) -> u32;
}

struct Memory;

#[async_trait_ext]
impl Store for Memory {
    async fn get(&self) -> u32 {
        1
    }
}

fn main() {
    let _store: Box<dyn Store> = Box::new(Memory);
}
