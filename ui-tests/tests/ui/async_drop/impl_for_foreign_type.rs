// `AsyncDrop` for a type of another crate: the orphan rule forbids it (rustc's E0117, which a
// library cannot reword). The fix, a newtype, is on the guide's troubleshooting page and in the
// note of the error a `#[async_drop]` binding of that type gets.
use async_ext::AsyncDrop;

impl AsyncDrop for std::fs::File {
    async fn async_drop(&mut self) {
        let _ = self.sync_all();
    }
}

fn main() {}
