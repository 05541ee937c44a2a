//! The one `unsafe` mechanism of async drop: a process-wide cell for the orphan hook that
//! works without `std` (no lock, no `OnceLock`), built on an `AtomicPtr`.
//!
//! Every node ever stored comes from `Box::leak`, and nothing ever frees it or writes through
//! it except through its atomic `previous` field, so a pointer read from the cell is valid for
//! `'static` as a shared reference. Replacing the hook keeps the previous one allocated on
//! purpose (another thread may still be running it), chained from the new node: every hook
//! ever set stays reachable from the static, so leak checkers (LeakSanitizer, Miri) see memory
//! still in use, not a leak.

use alloc::boxed::Box;
use core::ptr;
use core::sync::atomic::{AtomicPtr, Ordering};

use super::orphan::Orphan;

/// The hook as `set_orphan_hook` boxes it.
pub(super) type Hook = Box<dyn Fn(&Orphan) + Send + Sync>;

/// One installed hook, and the one it replaced (kept alive and reachable, never used again).
struct Node {
    hook: Hook,
    previous: AtomicPtr<Node>,
}

static HOOK: AtomicPtr<Node> = AtomicPtr::new(ptr::null_mut());

/// Installs `hook`, replacing (and keeping) the previous one.
pub(super) fn set(hook: Hook) {
    let node: &'static Node = Box::leak(Box::new(Node {
        hook,
        previous: AtomicPtr::new(ptr::null_mut()),
    }));
    // `AcqRel`: the `Release` half publishes the initialised node to the `Acquire` load in
    // `get`; the `Acquire` half makes the node it replaces fully visible before it is chained.
    let previous = HOOK.swap(ptr::from_ref(node).cast_mut(), Ordering::AcqRel);
    // Only keeps `previous` reachable; nobody reads this field, so `Relaxed` is enough.
    node.previous.store(previous, Ordering::Relaxed);
}

/// The current hook, if one was set.
pub(super) fn get() -> Option<&'static Hook> {
    let pointer = HOOK.load(Ordering::Acquire);
    // SAFETY: `pointer` is null or was stored by `set`, which got it from `Box::leak`: it
    // points to an initialised `Node` (the `Acquire` load pairs with the `Release` half of the
    // swap that stored it, so the initialisation is visible here) that is never freed or
    // moved, and mutated only through its `AtomicPtr` field, so sharing it as `&'static` is
    // sound from any thread (`Node` is `Sync`: `Hook` is, and so is `AtomicPtr`). The pointer
    // was made from a shared reference, and nothing writes through it other than atomically.
    unsafe { pointer.as_ref() }.map(|node| &node.hook)
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::AtomicUsize;
    use std::vec::Vec;

    // Hammers the cell from several threads while it is being replaced: every read must see
    // a complete hook (one of those installed), never a torn or freed one. Run under Miri or
    // a sanitizer this also checks the `SAFETY` argument; in a plain run it checks that each
    // call lands in exactly one installed hook, and that every hook set is still reachable
    // from the cell (chained), in the reverse order of setting.
    #[test]
    fn concurrent_replacement_and_calls_see_whole_hooks() {
        let calls = Arc::new(AtomicUsize::new(0));
        let orphan = Orphan::value::<u8>(&super::super::orphan::tests::VALUE_SITE);
        let readers: Vec<_> = (0..4)
            .map(|_| {
                std::thread::spawn(move || {
                    let mut seen = 0;
                    for _ in 0..2_000 {
                        if let Some(hook) = get() {
                            hook(&orphan);
                            seen += 1;
                        }
                    }
                    seen
                })
            })
            .collect();
        let before = chain_len();
        let setters: Vec<_> = (0..2)
            .map(|_| {
                let calls = Arc::clone(&calls);
                std::thread::spawn(move || {
                    for _ in 0..50 {
                        let calls = Arc::clone(&calls);
                        set(Box::new(move |orphan: &Orphan| {
                            // Other tests of this binary may orphan values meanwhile: count
                            // only ours.
                            if orphan.type_name() == "u8" {
                                calls.fetch_add(1, Ordering::Relaxed);
                            }
                        }));
                    }
                })
            })
            .collect();
        for setter in setters {
            setter.join().unwrap();
        }
        let seen: usize = readers.into_iter().map(|r| r.join().unwrap()).sum();
        assert_eq!(calls.load(Ordering::Relaxed), seen);
        // Every hook set is still reachable from the cell.
        assert!(chain_len() >= before + 100);
    }

    /// How many hooks are chained from the cell (the current one and all it replaced).
    fn chain_len() -> usize {
        let mut len = 0;
        let mut pointer = HOOK.load(Ordering::Acquire);
        // SAFETY: as in `get`, each pointer is null or a leaked, never freed `Node`; the
        // `previous` of a node is null or a node the cell held before (stored after the
        // swap; a node whose store has not happened yet ends the walk early, which only
        // makes the count smaller).
        while let Some(node) = unsafe { pointer.as_ref() } {
            len += 1;
            pointer = node.previous.load(Ordering::Acquire);
        }
        len
    }
}
