//! The orphan hook: how a value whose async clean-up could not run is reported.
//!
//! When the future of an `#[async_scope]` fn is dropped before it ends (a `select!` loser, a
//! timeout, an aborted task), nothing can be awaited any more. Each value still waiting for
//! its clean-up then gets its ordinary `Drop` as the fallback, and after it the hook is called
//! once with an [`Orphan`] describing it.
//!
//! The hook is process-wide and works without `std`: it lives behind an atomic pointer (see
//! `hook_cell`), so setting and reading it never blocks and needs no lock.

use alloc::boxed::Box;
use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use super::hook_cell;

/// A value whose async clean-up did not run because its `#[async_scope]` fn was cancelled. Its
/// ordinary `Drop` has already run when the hook sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Orphan {
    type_name: &'static str,
    deferred: bool,
}

impl Orphan {
    pub(super) fn value<T: ?Sized>() -> Self {
        Orphan {
            type_name: core::any::type_name::<T>(),
            deferred: false,
        }
    }

    pub(super) fn deferred<F: ?Sized>() -> Self {
        Orphan {
            type_name: core::any::type_name::<F>(),
            deferred: true,
        }
    }

    /// The type of the value (for a `defer_async!` future, the future's type), as
    /// [`core::any::type_name`] spells it.
    #[must_use]
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }

    /// Whether this is a `defer_async!` future rather than an `#[async_drop]` value.
    #[must_use]
    pub fn is_deferred(&self) -> bool {
        self.deferred
    }
}

impl fmt::Display for Orphan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.deferred {
            "a `defer_async!` future of type"
        } else {
            "a value of type"
        };
        write!(
            f,
            "{what} `{}` was dropped without its async clean-up because its `#[async_scope]` fn \
             was cancelled; its `Drop` ran instead",
            self.type_name
        )
    }
}

/// Sets the process-wide hook called once for each value whose async clean-up could not run
/// (see [`Orphan`]). The hook runs inside a `Drop`, after the value's own `Drop`.
///
/// Without a hook, builds with the `std` feature print the orphan to stderr; builds without it
/// do nothing more than the `Drop` fallback. Set `|_| {}` to silence the report, or
/// [`strict_orphans`] in tests.
///
/// Replacing a hook keeps the old one allocated (a few bytes per call, never freed), because
/// another thread may be running it: set the hook once, at start-up.
///
/// ```
/// use std::sync::atomic::{AtomicUsize, Ordering};
///
/// static ORPHANS: AtomicUsize = AtomicUsize::new(0);
/// async_ext::set_orphan_hook(|orphan| {
///     ORPHANS.fetch_add(1, Ordering::Relaxed);
///     eprintln!("async clean-up skipped: {}", orphan.type_name());
/// });
/// ```
pub fn set_orphan_hook(hook: impl Fn(&Orphan) + Send + Sync + 'static) {
    hook_cell::set(Box::new(hook));
}

/// A ready orphan hook for tests: it panics, naming the orphaned type, so a test fails when a
/// value loses its async clean-up. Install it with `set_orphan_hook(strict_orphans)`.
///
/// When the thread is already panicking (the future is being dropped during an unwind), it
/// prints instead, since a second panic would abort the process (with `std`; without it, it
/// always panics).
///
/// # Panics
///
/// Always, outside of an unwind: that is its purpose.
pub fn strict_orphans(orphan: &Orphan) {
    #[cfg(feature = "std")]
    if std::thread::panicking() {
        std::eprintln!("async-ext: {orphan}");
        return;
    }
    panic!("async-ext strict_orphans: {orphan}");
}

/// Calls the hook (or the default report) for one orphan.
fn report(orphan: &Orphan) {
    match hook_cell::get() {
        Some(hook) => hook(orphan),
        None => default_report(orphan),
    }
}

#[cfg(feature = "std")]
fn default_report(orphan: &Orphan) {
    std::eprintln!("async-ext: {orphan} (set `async_ext::set_orphan_hook` to change this report)");
}

#[cfg(not(feature = "std"))]
fn default_report(_: &Orphan) {}

/// Reports its orphan when dropped, unless disarmed. Declared before the value it guards, so
/// it is dropped after it: the value's `Drop` runs first, then the hook, even if that `Drop`
/// panics.
pub(super) struct OrphanReport {
    orphan: Option<Orphan>,
    /// Set while the guarded future is being polled: if the report is dropped meanwhile, the
    /// poll panicked (a clean-up that panics is not an orphan; the scope resumes the panic).
    /// A report dropped while the future is suspended is an orphan, even when the thread is
    /// unwinding for another reason (the fn's future dropped during someone else's panic).
    polling: bool,
}

impl OrphanReport {
    /// Reports on drop, also during an unwind (the value's own `Drop` may be what panics).
    pub(super) fn new(orphan: Orphan) -> Self {
        OrphanReport {
            orphan: Some(orphan),
            polling: false,
        }
    }

    /// Polls `future`, which this report guards: a panic of that poll is not an orphan.
    pub(super) fn poll_guarded<F: Future + ?Sized>(
        &mut self,
        future: Pin<&mut F>,
        cx: &mut Context<'_>,
    ) -> Poll<F::Output> {
        self.polling = true;
        let polled = future.poll(cx);
        self.polling = false;
        polled
    }

    pub(super) fn disarm(mut self) {
        self.orphan = None;
    }
}

impl Drop for OrphanReport {
    fn drop(&mut self) {
        if self.polling {
            return;
        }
        if let Some(orphan) = self.orphan.take() {
            report(&orphan);
        }
    }
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::*;
    use std::string::ToString;

    #[test]
    fn strict_orphans_panics_naming_the_type() {
        let orphan = Orphan::value::<std::vec::Vec<u8>>();
        let payload = std::panic::catch_unwind(|| strict_orphans(&orphan)).unwrap_err();
        let message = payload.downcast_ref::<std::string::String>().unwrap();
        assert!(message.contains("`alloc::vec::Vec<u8>`"), "{message}");
        assert!(message.contains("cancelled"), "{message}");
    }

    #[test]
    fn orphans_say_what_they_are() {
        let value = Orphan::value::<u32>();
        assert_eq!((value.type_name(), value.is_deferred()), ("u32", false));
        let deferred = Orphan::deferred::<u8>();
        assert_eq!((deferred.type_name(), deferred.is_deferred()), ("u8", true));
        assert!(
            deferred
                .to_string()
                .starts_with("a `defer_async!` future of type `u8`")
        );
    }
}
