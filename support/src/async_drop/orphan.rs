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

/// Where an `#[async_drop]` binding or a `defer_async!` was written: what the orphan report
/// names. Generated code builds one per slot, as a promoted constant.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Site {
    /// The binding's name; `None` for a `defer_async!`.
    pub binding: Option<&'static str>,
    /// The `#[async_scope]` fn, `module::path::name`.
    pub function: &'static str,
    /// The file of the binding or the `defer_async!`, as `file!()` spells it.
    pub file: &'static str,
    /// Its line, from 1.
    pub line: u32,
    /// Its column, from 1.
    pub column: u32,
}

/// A value whose async clean-up did not run because its `#[async_scope]` fn was cancelled
/// (its future dropped before it ended). Its ordinary `Drop` has already run when the hook
/// sees it.
///
/// It names what you wrote: the binding (or the `defer_async!`), the fn and the place, and
/// its `Display` says so in one sentence, with how to keep the async clean-up:
///
/// ```
/// use async_ext::{AsyncDrop, async_scope};
/// use std::sync::Mutex;
///
/// struct Conn;
/// impl AsyncDrop for Conn { async fn async_drop(&mut self) {} }
///
/// #[async_scope]
/// async fn serve(#[async_drop] conn: Conn) {
///     std::future::pending::<()>().await;
/// }
///
/// static REPORTS: Mutex<Vec<String>> = Mutex::new(Vec::new());
/// async_ext::set_orphan_hook(|orphan| {
///     let binding = orphan.binding().unwrap_or("defer_async!");
///     REPORTS.lock().unwrap().push(format!("{binding} in {} at line {}", orphan.function(), orphan.line()));
/// });
///
/// // Polled once, then dropped: a timeout, a `select!` loser.
/// let mut future = Box::pin(serve(Conn));
/// let waker = std::task::Waker::noop();
/// let _ = future.as_mut().poll(&mut std::task::Context::from_waker(&waker));
/// drop(future);
/// # let reports = REPORTS.lock().unwrap();
/// # assert_eq!(reports.len(), 1);
/// # assert!(reports[0].starts_with("conn in "), "{}", reports[0]);
/// # assert!(reports[0].contains("::serve at line "), "{}", reports[0]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Orphan {
    type_name: &'static str,
    site: &'static Site,
}

impl Orphan {
    pub(super) fn value<T: ?Sized>(site: &'static Site) -> Self {
        Orphan {
            type_name: core::any::type_name::<T>(),
            site,
        }
    }

    pub(super) fn deferred<F: ?Sized>(site: &'static Site) -> Self {
        Orphan {
            type_name: core::any::type_name::<F>(),
            site,
        }
    }

    /// The type of the value (for a `defer_async!` future, the future's type, which for an
    /// `async` block is a compiler-made name), as [`core::any::type_name`] spells it.
    #[must_use]
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }

    /// Whether this is a `defer_async!` future rather than an `#[async_drop]` value.
    #[must_use]
    pub fn is_deferred(&self) -> bool {
        self.site.binding.is_none()
    }

    /// The name of the `#[async_drop]` binding (`let` or parameter); `None` for a
    /// `defer_async!`.
    #[must_use]
    pub fn binding(&self) -> Option<&'static str> {
        self.site.binding
    }

    /// The `#[async_scope]` fn it belongs to, as `module::path::fn_name` (for a method, the
    /// module and the method's name).
    #[must_use]
    pub fn function(&self) -> &'static str {
        self.site.function
    }

    /// The file where the binding or the `defer_async!` was written, as `file!()` spells it.
    #[must_use]
    pub fn file(&self) -> &'static str {
        self.site.file
    }

    /// The line of the binding's name or of `defer_async!`, from 1.
    #[must_use]
    pub fn line(&self) -> u32 {
        self.site.line
    }

    /// The column of the binding's name or of `defer_async!`, from 1.
    #[must_use]
    pub fn column(&self) -> u32 {
        self.site.column
    }
}

/// One sentence: what was lost, where it was written, why, and what to do about it.
///
/// ```text
/// `conn` (a `app::Conn`) at src/app.rs:12:29 in `app::serve` was dropped without its async
/// clean-up: the `#[async_scope]` fn's future was dropped before it ended (a timeout, a `select!`
/// loser, an aborted task), so its `Drop` ran instead; to keep the async clean-up, cancel with
/// `async_ext::cancel_gracefully`, `cancel_now` or `abortable_gracefully` (guide: async drop,
/// cancellation)
/// ```
impl fmt::Display for Orphan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Site {
            binding,
            function,
            file,
            line,
            column,
        } = *self.site;
        match binding {
            Some(name) => write!(
                f,
                "`{name}` (a `{}`) at {file}:{line}:{column} in `{function}` was dropped without \
                 its async clean-up",
                self.type_name
            )?,
            None => write!(
                f,
                "the `defer_async!` at {file}:{line}:{column} in `{function}` was dropped without \
                 running"
            )?,
        }
        f.write_str(
            ": the `#[async_scope]` fn's future was dropped before it ended (a timeout, a \
             `select!` loser, an aborted task), so its `Drop` ran instead; to keep the async \
             clean-up, cancel with `async_ext::cancel_gracefully`, `cancel_now` or \
             `abortable_gracefully` (guide: async drop, cancellation)",
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
pub(super) mod tests {
    use super::*;
    use std::string::ToString;

    pub(crate) static VALUE_SITE: Site = Site {
        binding: Some("conn"),
        function: "app::serve",
        file: "src/app.rs",
        line: 12,
        column: 29,
    };

    static DEFER_SITE: Site = Site {
        binding: None,
        function: "app::serve",
        file: "src/app.rs",
        line: 14,
        column: 5,
    };

    #[test]
    fn strict_orphans_panics_naming_the_binding() {
        let orphan = Orphan::value::<std::vec::Vec<u8>>(&VALUE_SITE);
        let payload = std::panic::catch_unwind(|| strict_orphans(&orphan)).unwrap_err();
        let message = payload.downcast_ref::<std::string::String>().unwrap();
        assert!(
            message.contains("`conn` (a `alloc::vec::Vec<u8>`) at src/app.rs:12:29"),
            "{message}"
        );
        assert!(message.contains("cancel_gracefully"), "{message}");
    }

    #[test]
    fn orphans_say_what_they_are() {
        let value = Orphan::value::<u32>(&VALUE_SITE);
        assert_eq!(
            (value.type_name(), value.is_deferred(), value.binding()),
            ("u32", false, Some("conn"))
        );
        assert_eq!(
            (value.function(), value.file(), value.line(), value.column()),
            ("app::serve", "src/app.rs", 12, 29)
        );
        let deferred = Orphan::deferred::<u8>(&DEFER_SITE);
        assert_eq!(
            (
                deferred.type_name(),
                deferred.is_deferred(),
                deferred.binding()
            ),
            ("u8", true, None)
        );
        assert_eq!(
            deferred.to_string(),
            "the `defer_async!` at src/app.rs:14:5 in `app::serve` was dropped without running: \
             the `#[async_scope]` fn's future was dropped before it ended (a timeout, a `select!` \
             loser, an aborted task), so its `Drop` ran instead; to keep the async clean-up, \
             cancel with `async_ext::cancel_gracefully`, `cancel_now` or `abortable_gracefully` \
             (guide: async drop, cancellation)"
        );
    }
}
