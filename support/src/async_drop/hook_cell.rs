//! The one `unsafe` mechanism of async drop: a process-wide cell for the orphan hook that
//! works without `std` (no lock, no `OnceLock`), built on an `AtomicPtr`.
//!
//! Every pointer ever stored comes from `Box::leak`, and nothing ever frees or writes through
//! it, so a pointer read from the cell is valid for `'static` as a shared reference. Replacing
//! the hook leaks the previous one on purpose: another thread may still be running it.

use alloc::boxed::Box;
use core::ptr;
use core::sync::atomic::{AtomicPtr, Ordering};

use super::orphan::Orphan;

/// The hook behind a thin pointer (a `Box` of a `Box<dyn Fn>`), so it fits an `AtomicPtr`.
pub(super) type Hook = Box<dyn Fn(&Orphan) + Send + Sync>;

static HOOK: AtomicPtr<Hook> = AtomicPtr::new(ptr::null_mut());

/// Installs `hook`, replacing (and leaking) the previous one.
pub(super) fn set(hook: Hook) {
    let leaked: &'static mut Hook = Box::leak(Box::new(hook));
    // `Release` publishes the initialised box to the `Acquire` load in `get`.
    HOOK.store(ptr::from_mut(leaked), Ordering::Release);
}

/// The current hook, if one was set.
pub(super) fn get() -> Option<&'static Hook> {
    let pointer = HOOK.load(Ordering::Acquire);
    // SAFETY: `pointer` is null or was stored by `set`, which got it from `Box::leak`: it
    // points to an initialised `Hook` (the `Acquire` load pairs with the `Release` store, so
    // the initialisation is visible here) that is never freed, moved or mutated afterwards,
    // so sharing it as `&'static` is sound from any thread (`Hook` is `Sync`).
    unsafe { pointer.as_ref() }
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
    // call lands in exactly one installed hook.
    #[test]
    fn concurrent_replacement_and_calls_see_whole_hooks() {
        let calls = Arc::new(AtomicUsize::new(0));
        let orphan = Orphan::value::<u8>();
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
        for _ in 0..50 {
            let calls = Arc::clone(&calls);
            set(Box::new(move |orphan: &Orphan| {
                // Other tests of this binary may orphan values meanwhile: count only ours.
                if orphan.type_name() == "u8" {
                    calls.fetch_add(1, Ordering::Relaxed);
                }
            }));
        }
        let seen: usize = readers.into_iter().map(|r| r.join().unwrap()).sum();
        assert_eq!(calls.load(Ordering::Relaxed), seen);
    }
}
