//! What the ecosystem tests (`async_drop_tokio.rs`, `async_drop_futures_io.rs`) share: the
//! three ways a scope can end, and temporary files that clean up after themselves.

use std::any::Any;
use std::future::Future;
use std::io;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use futures::FutureExt;

/// How the body of a scope under test ends, after it has written its bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Exit {
    /// Its value, `Ok(())`.
    Normal,
    /// `?` on an error.
    Question,
    /// A panic.
    Panic,
}

impl Exit {
    pub(crate) const ALL: [Exit; 3] = [Exit::Normal, Exit::Question, Exit::Panic];

    /// Ends the body this way: `exit.leave()?` is the body's last statement.
    pub(crate) fn leave(self) -> io::Result<()> {
        match self {
            Exit::Normal => Ok(()),
            Exit::Question => Err(io::Error::other("early exit")),
            Exit::Panic => panic!("body panicked"),
        }
    }

    /// Awaits a scoped fn's future whose body ended with `self.leave()?`, and asserts that it
    /// ended that way: `Ok`, the error of `?`, or the body's panic, resumed after the
    /// clean-up.
    pub(crate) async fn assert_ended(self, scope: impl Future<Output = io::Result<()>>) {
        let outcome = AssertUnwindSafe(scope).catch_unwind().await;
        match (self, outcome) {
            (Exit::Normal, Ok(Ok(()))) => {}
            (Exit::Question, Ok(Err(error))) => assert_eq!(error.to_string(), "early exit"),
            (Exit::Panic, Err(payload)) => assert_eq!(message(&*payload), "body panicked"),
            (exit, Ok(result)) => panic!("{exit:?}: the scope returned {result:?}"),
            (exit, Err(payload)) => panic!("{exit:?}: the scope panicked: {}", message(&*payload)),
        }
    }
}

fn message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default()
}

/// A path in the temporary directory, unique in this process and across processes, removed
/// when the value is dropped.
pub(crate) struct TempPath(PathBuf);

impl TempPath {
    pub(crate) fn new(name: &str) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let unique = NEXT.fetch_add(1, Ordering::Relaxed);
        TempPath(std::env::temp_dir().join(format!(
            "async-ext-test-{}-{name}-{unique}",
            std::process::id()
        )))
    }

    pub(crate) fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempPath {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}
