// A boxed `#[async_trait_ext]` impl of a native-mode trait. The trait is written out as native
// mode expands it (an `impl Future` method plus the hidden records saying it is native), so this
// case checks the impl side on its own.
use async_ext::async_trait_ext;
use std::future::Future;

#[doc(hidden)]
#[allow(non_camel_case_types)]
struct __AsyncExtRecordsOfStore<U> {
    get: ((), (), (), ()),
    __async_ext_unrecorded: U,
}

impl<U> std::ops::Deref for __AsyncExtRecordsOfStore<U> {
    type Target = U;
    fn deref(&self) -> &U {
        &self.__async_ext_unrecorded
    }
}

trait Store {
    fn get(&self, key: &str) -> impl Future<Output = usize> + Send;

    #[doc(hidden)]
    #[allow(non_snake_case)]
    fn __async_ext_records_of_Store<U>(&self, unrecorded: U) -> __AsyncExtRecordsOfStore<U>
    where
        Self: Sized,
    {
        __AsyncExtRecordsOfStore {
            get: ((), (), (), ()),
            __async_ext_unrecorded: unrecorded,
        }
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
