// One mistake in a native trait's options gives one error: the options that parsed (`native`)
// still apply, so the plain `async fn` impl adds no error of its own (against a boxed or an
// unexpanded trait it would get a lifetime mismatch, E0195).
use async_ext::async_trait_ext;

#[async_trait_ext(native, bogus)]
trait Store {
    async fn get(&self, key: &str) -> usize;
}

struct Memory;

impl Store for Memory {
    async fn get(&self, key: &str) -> usize {
        key.len()
    }
}

fn main() {
    let _ = Memory.get("key");
}
