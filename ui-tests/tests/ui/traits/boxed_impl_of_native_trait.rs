// A boxed `#[async_trait_ext]` impl of a native-mode trait. The trait is written out as native
// mode expands it (an `impl Future` method plus the hidden record saying it is native), so this
// case checks the impl side on its own.
use async_ext::async_trait_ext;
use std::future::Future;

trait Store {
    fn get(&self, key: &str) -> impl Future<Output = usize> + Send;

    #[doc(hidden)]
    fn __async_ext_asyncness_of_get(&self) -> ((), (), (), ())
    where
        Self: Sized,
    {
        ((), (), (), ())
    }
}

struct Memory;

#[async_trait_ext]
impl Store for Memory {
    async fn get(&self, key: &str) -> usize {
        key.len()
    }
}

fn main() {}
