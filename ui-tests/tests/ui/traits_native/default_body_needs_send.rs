// A default body taking `self` by value holds it across `.await`, so in a `Send` trait it
// needs `Self: Send`; a call on a type that is not `Send` is told so, at the call.
use async_ext::async_trait_ext;
use std::rc::Rc;

#[async_trait_ext(native)]
trait Job {
    async fn run(&self) -> u32;
    async fn finish(self) -> u32
    where
        Self: Sized,
    {
        self.run().await
    }
}

struct Shared(Rc<u32>);

impl Job for Shared {
    #[allow(clippy::manual_async_fn)]
    fn run(&self) -> impl Future<Output = u32> + Send {
        let value = *self.0;
        async move { value }
    }
}

fn main() {
    let _ = Shared(Rc::new(1)).finish();
}
