use async_ext::async_trait_ext;

#[async_trait_ext]
pub trait Store {
    async fn get(&self, key: &str) -> Option<u32>;
    async fn len(&self) -> usize {
        0
    }
    fn name(&self) -> &str;
}

struct Memory(u32);

#[async_trait_ext]
impl Store for Memory {
    async fn get(&self, key: &str) -> Option<u32> {
        Some(self.0 + u32::try_from(key.len()).unwrap())
    }
    fn name(&self) -> &str {
        "memory"
    }
}

#[test]
fn smoke() {
    let m = Memory(1);
    assert_eq!(futures::executor::block_on(m.get("ab")), Some(3));
    let d: Box<dyn Store + Sync> = Box::new(Memory(2));
    assert_eq!(futures::executor::block_on(d.get("a")), Some(3));
    assert_eq!(futures::executor::block_on(d.len()), 0);
}
