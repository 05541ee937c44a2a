// A default `&self` body of a `Send` trait holds `&self` across `.await`, so it needs
// `Self: Sync`; a generic caller without that bound is told so, at the call.
use async_ext::async_trait_ext;

#[async_trait_ext(native)]
trait Store {
    async fn get(&self, key: &str) -> Option<u32>;
    async fn has(&self, key: &str) -> bool {
        self.get(key).await.is_some()
    }
}

async fn check<S: Store>(store: &S) -> bool {
    store.has("a").await
}

fn main() {
    let _ = check::<Never>;
}

struct Never;
impl Store for Never {
    async fn get(&self, _key: &str) -> Option<u32> {
        None
    }
}
