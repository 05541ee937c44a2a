//! A public native trait with its companion expands warning-free, docs included.
#![deny(warnings, missing_docs, unreachable_pub)]

use async_ext::async_trait_ext;

/// A key-value store.
#[async_trait_ext(native)]
pub trait Store<K: Send + Sync> {
    /// What the store holds.
    type Value: Clone + Send;
    /// Looks a key up.
    async fn get(&self, key: &K) -> Option<Self::Value>;
    /// Stores a value.
    async fn put(&mut self, key: K, value: Self::Value);
    /// How many entries.
    async fn len(&self) -> usize {
        0
    }
    /// The store's name.
    fn name(&self) -> &str;
}

/// A store of one entry.
pub struct One(Option<(u8, u32)>);

impl Store<u8> for One {
    type Value = u32;

    async fn get(&self, key: &u8) -> Option<u32> {
        self.0.filter(|(k, _)| k == key).map(|(_, v)| v)
    }

    async fn put(&mut self, key: u8, value: u32) {
        self.0 = Some((key, value));
    }

    fn name(&self) -> &'static str {
        "one"
    }
}

fn main() {
    let store: Box<DynStore<'static, u8, u32>> = DynStore::boxed(One(None));
    assert_eq!(store.name(), "one");
}
