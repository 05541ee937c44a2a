// One mistake in the trait's options gives one error: the trait is still expanded (boxed,
// the default), so its boxed impl and a `dyn` call add no errors of their own.
use async_ext::async_trait_ext;

#[async_trait_ext(bogus)]
trait Store {
    async fn get(&self, key: &str) -> usize;
}

struct Memory;

#[async_trait_ext]
impl Store for Memory {
    async fn get(&self, key: &str) -> usize {
        key.len()
    }
}

fn through_dyn(store: &dyn Store) -> impl Future<Output = usize> + Send + '_ {
    store.get("key")
}

fn main() {
    let _ = through_dyn(&Memory);
}
