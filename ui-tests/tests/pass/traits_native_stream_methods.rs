//! A library's public native trait with generator methods, as it reads after a switch from
//! boxed mode: the trait, its impl and a caller that spawns the stream compile in the trait's
//! own crate, warning-free, with the companion and the local variant.
#![deny(warnings, missing_docs)]

use async_ext::{async_stream, async_trait_ext, async_try_stream};

/// A cache whose keys stream out.
#[async_trait_ext(native, local = LocalCache)]
pub trait Cache {
    /// Every key below `limit`.
    #[async_stream(item = u64)]
    async fn keys(&self, limit: u64);
    /// The keys, failing at the first one too large.
    #[async_try_stream(ok = u64, error = String)]
    async fn checked(&self, limit: u64);
    /// Boxed, as it was in boxed mode.
    #[async_stream(boxed, item = u64)]
    async fn boxed_keys(&self);
}

/// A cache in memory.
pub struct Memory(pub Vec<u64>);

impl Cache for Memory {
    #[async_stream(item = u64)]
    async fn keys(&self, limit: u64) {
        for &key in &self.0 {
            if key < limit {
                yield_!(key);
            }
        }
    }

    #[async_try_stream(ok = u64, error = String)]
    async fn checked(&self, limit: u64) {
        for &key in &self.0 {
            if key >= limit {
                return Err(format!("{key}"));
            }
            yield_!(key);
        }
    }

    #[async_stream(boxed, item = u64)]
    async fn boxed_keys(&self) {
        for &key in &self.0 {
            yield_!(key);
        }
    }
}

/// Generic code can move the stream of any `Sync` cache into another thread.
pub fn send_keys<C: Cache + Sync + ?Sized>(cache: &C) {
    std::thread::scope(|scope| {
        let stream = cache.keys(10);
        let _ = scope.spawn(move || drop(stream));
    });
}

fn main() {
    send_keys(&Memory(vec![1]));
    let companion: Box<DynCache<'static>> = DynCache::boxed(Memory(vec![2]));
    drop(Cache::keys(&companion, 3));
    send_keys(&*companion);
}
