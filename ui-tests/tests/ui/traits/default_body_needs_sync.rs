// Boxed mode, as async-trait: a default `&self` body of a `Send` trait needs `Self: Sync`, so
// it is callable through `dyn Store + Sync`, not a bare `dyn Store`.
use async_ext::async_trait_ext;

#[async_trait_ext]
trait Store {
    async fn get(&self, key: &str) -> Option<u32>;
    async fn has(&self, key: &str) -> bool {
        self.get(key).await.is_some()
    }
}

async fn check(store: &dyn Store) -> bool {
    store.has("a").await
}

fn main() {
    let _ = check;
}
