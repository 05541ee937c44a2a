//! Drop-in for trait-variant: `#[trait_variant::make(Store: Send)] trait LocalStore` becomes
//! `#[async_trait_ext(native, local = LocalStore)] trait Store`: one definition gives the
//! `Send` trait and a local one that every implementor of the `Send` trait also implements.
//! In the `Send` trait every `impl Trait` return promises `Send`, not only futures.

use async_ext::async_trait_ext;
use async_ext_tests::yield_now;
use futures::executor::block_on;
use std::sync::Arc;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap()
}

/// Both variants from one definition.
mod local_variant {
    use super::*;

    #[async_trait_ext(native, dyn = none, local = LocalStore)]
    trait Store {
        async fn get(&self, key: u32) -> Option<u32>;
        fn size(&self) -> usize;
    }

    struct Squares(usize);

    impl Store for Squares {
        async fn get(&self, key: u32) -> Option<u32> {
            yield_now().await;
            (usize::try_from(key).ok()? < self.0).then_some(key * key)
        }
        fn size(&self) -> usize {
            self.0
        }
    }

    /// Code that never spawns bounds on the local trait...
    async fn lookup_local(store: &impl LocalStore, key: u32) -> Option<u32> {
        store.get(key).await
    }

    /// ...and code that spawns on the `Send` one.
    async fn lookup_spawned<S: Store + Send + Sync + 'static>(
        store: Arc<S>,
        key: u32,
    ) -> Option<u32> {
        tokio::spawn(async move { store.get(key).await })
            .await
            .unwrap()
    }

    #[test]
    fn a_send_implementor_serves_both() {
        let squares = Squares(5);
        assert_eq!(block_on(lookup_local(&squares, 3)), Some(9));
        assert_eq!(block_on(lookup_local(&squares, 7)), None);
        assert_eq!(LocalStore::size(&squares), 5);
        assert_eq!(
            runtime().block_on(lookup_spawned(Arc::new(squares), 4)),
            Some(16)
        );
    }
}

/// An `-> impl Iterator` method of a `Send` native trait is `Send`, as in trait-variant's
/// `Send` variant; `#[async_trait_ext(?Send)]` on the method opts out.
mod impl_trait_returns_are_send {
    use super::*;
    use std::rc::Rc;

    #[async_trait_ext(native, dyn = none)]
    trait Catalog {
        fn ids(&self) -> impl Iterator<Item = u32>;
        #[async_trait_ext(?Send)]
        fn shared_ids(&self) -> impl Iterator<Item = u32>;
    }

    struct Range(u32);

    impl Catalog for Range {
        fn ids(&self) -> impl Iterator<Item = u32> {
            0..self.0
        }
        fn shared_ids(&self) -> impl Iterator<Item = u32> {
            // Not Send: allowed by the opt-out.
            let all: Rc<[u32]> = (0..self.0).collect();
            (0..all.len()).map(move |i| all[i])
        }
    }

    async fn sum_in_task<C: Catalog + Send + Sync + 'static>(catalog: Arc<C>) -> u32 {
        tokio::spawn(async move {
            let ids = catalog.ids();
            yield_now().await;
            ids.sum()
        })
        .await
        .unwrap()
    }

    #[test]
    fn the_iterator_crosses_into_a_task() {
        assert_eq!(runtime().block_on(sum_in_task(Arc::new(Range(5)))), 10);
        assert_eq!(Range(3).shared_ids().collect::<Vec<_>>(), [0, 1, 2]);
    }
}
