//! Native mode of `#[async_trait_ext]`: `impl Future` methods, plain `async fn` impls, and the
//! `Dyn` companion.

use async_ext::async_trait_ext;
use async_ext_tests::{CountingAllocator, count_allocations, yield_now};
use futures::executor::block_on;

#[global_allocator]
static ALLOC: CountingAllocator = CountingAllocator;

#[async_trait_ext(native)]
trait Store {
    /// Looks a key up.
    async fn get(&self, key: &str) -> Option<u32>;
    async fn put(&mut self, key: String, value: u32);
    async fn len(&self) -> usize {
        0
    }
    fn name(&self) -> &str;
}

#[derive(Default)]
struct Memory {
    entries: Vec<(String, u32)>,
}

impl Store for Memory {
    async fn get(&self, key: &str) -> Option<u32> {
        yield_now().await;
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
    }

    async fn put(&mut self, key: String, value: u32) {
        yield_now().await;
        self.entries.push((key, value));
    }

    async fn len(&self) -> usize {
        self.entries.len()
    }

    fn name(&self) -> &str {
        "memory"
    }
}

#[test]
fn impls_need_no_attribute_and_static_dispatch_works() {
    let mut memory = Memory::default();
    block_on(async {
        memory.put("a".into(), 1).await;
        assert_eq!(memory.get("a").await, Some(1));
        assert_eq!(memory.get("b").await, None);
        assert_eq!(memory.len().await, 1);
    });
    assert_eq!(memory.name(), "memory");
}

#[test]
fn companion_boxed() {
    let mut store = DynStore::boxed(Memory::default());
    block_on(async {
        store.put("k".into(), 7).await;
        assert_eq!(store.get("k").await, Some(7));
        assert_eq!(store.len().await, 1);
    });
    assert_eq!(store.name(), "memory");
}
