//! What the ecosystem tests (`async_drop_tokio.rs`, `async_drop_futures_io.rs`) share: the
//! three ways a scope can end, the scope under test for writers, and temporary files that
//! clean up after themselves.

use std::future::Future;
use std::io;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use async_ext::{AsyncDrop, async_scope};
use async_ext_tests::panic_message;
use futures::FutureExt;

/// What the writer tests write, then look for on the other side.
pub(crate) const PAYLOAD: &[u8] = b"bytes written before the scope ended";

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
            (Exit::Panic, Err(payload)) => {
                assert_eq!(panic_message(&*payload), "body panicked");
            }
            (exit, Ok(result)) => panic!("{exit:?}: the scope returned {result:?}"),
            (exit, Err(payload)) => {
                panic!("{exit:?}: the scope panicked: {}", panic_message(&*payload))
            }
        }
    }
}

/// The scope under test for writers: `write` writes to the marked writer, then the body ends
/// as `exit` says. The write is a parameter because tokio and futures-io each have their own
/// `AsyncWrite`: each test file passes its `write_payload`.
#[async_scope]
pub(crate) async fn write_then_end<W: AsyncDrop>(
    #[async_drop] writer: W,
    write: impl AsyncFnOnce(&mut W) -> io::Result<()>,
    exit: Exit,
) -> io::Result<()> {
    write(writer).await?;
    exit.leave()
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
