//! Drop-in for dynosaur: `#[dynosaur(DynX = dyn(box) X)]` becomes
//! `#[async_trait_ext(native, ?Send, dyn = DynX)]` (dynosaur's traits promise no `Send`), and
//! `DynX::new_box(v)` becomes `DynX::boxed(v)`. Each module is one shape of dynosaur's own
//! pass cases, called statically and through the companion, asserting the values.

use async_ext::async_trait_ext;
use async_ext_tests::yield_now;
use futures::executor::block_on;

/// An async method over an associated type, the shape of dynosaur's README.
mod next_with_associated_type {
    use super::*;

    #[async_trait_ext(native, ?Send, dyn = DynNext)]
    trait Next {
        type Item;
        async fn next(&mut self) -> Option<Self::Item>;
    }

    struct Countdown(u32);

    impl Next for Countdown {
        type Item = u32;
        async fn next(&mut self) -> Option<u32> {
            yield_now().await;
            let at = self.0.checked_sub(1)?;
            self.0 = at;
            Some(at)
        }
    }

    async fn drain_dyn(source: &mut DynNext<'_, u32>) -> Vec<u32> {
        let mut items = Vec::new();
        while let Some(item) = source.next().await {
            items.push(item);
        }
        items
    }

    async fn drain<N: Next<Item = u32>>(mut source: N) -> Vec<u32> {
        let mut items = Vec::new();
        while let Some(item) = source.next().await {
            items.push(item);
        }
        items
    }

    #[test]
    fn static_and_dynamic_dispatch_agree() {
        assert_eq!(block_on(drain(Countdown(3))), [2, 1, 0]);
        assert_eq!(
            block_on(drain_dyn(DynNext::from_mut(&mut Countdown(2)))),
            [1, 0]
        );
    }
}

/// Sync and async methods side by side, over associated types and a generic parameter of the
/// trait (dynosaur's `async-and-non-async`, `basic-with-self`): the companion's parameters are
/// the lifetime, the trait's generics, then the associated types.
mod mixed_sync_and_async_methods {
    use super::*;

    #[async_trait_ext(native, ?Send, dyn = DynQueue)]
    trait Queue<Tag> {
        type Job;
        fn len(&self) -> usize;
        async fn pop(&mut self, tag: Tag) -> Option<(Tag, Self::Job)>;
    }

    struct Jobs(Vec<u32>);

    impl Queue<char> for Jobs {
        type Job = u32;
        fn len(&self) -> usize {
            self.0.len()
        }
        async fn pop(&mut self, tag: char) -> Option<(char, u32)> {
            yield_now().await;
            self.0.pop().map(|job| (tag, job))
        }
    }

    #[test]
    fn through_the_companion() {
        let mut jobs = Jobs(vec![1, 2]);
        let erased: &mut DynQueue<'_, char, u32> = DynQueue::from_mut(&mut jobs);
        assert_eq!(erased.len(), 2);
        assert_eq!(block_on(erased.pop('a')), Some(('a', 2)));
        assert_eq!(block_on(erased.pop('b')), Some(('b', 1)));
        assert_eq!(block_on(erased.pop('c')), None);
        assert_eq!(erased.len(), 0);
    }
}
