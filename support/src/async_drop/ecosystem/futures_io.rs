//! `AsyncDrop` and `AsyncDropSend` for the `futures-io` world (the `futures-io` feature):
//! `futures::io::BufWriter`, and [`CloseOnAsyncDrop`] for any other `AsyncWrite`.
//!
//! A blanket `impl<W: AsyncWrite> AsyncDrop for W` is impossible: it would overlap every
//! other impl of the trait (the containers', tokio's, the users'). So a writer that has no
//! impl of its own gets one through the adapter, which keeps the writer's methods (`Deref`)
//! and its `AsyncRead`/`AsyncWrite`.

use core::future::Future;
use core::ops::{Deref, DerefMut};
use core::pin::Pin;
use core::task::{Context, Poll};
use futures_io::{AsyncRead, AsyncWrite, IoSlice, IoSliceMut};
use futures_util::io::{AsyncWriteExt, BufWriter};

use crate::{AsyncDrop, AsyncDropSend};

/// Flushes what is buffered and closes the writer (`AsyncWriteExt::close`).
async fn close<W: AsyncWrite + Unpin + ?Sized>(writer: &mut W) {
    // No caller to hand the error to (see the module docs of `ecosystem`).
    let _ = writer.close().await;
}

/// Flushes the buffered bytes, then closes the inner writer (`AsyncWriteExt::close`).
///
/// Without it the buffer is lost: `futures::io::BufWriter` does not flush when dropped. `W`
/// must be `Unpin` to be closed through `&mut self`; wrap a `!Unpin` writer in `Box::pin`.
///
/// On cancellation (the scope's future dropped while the value is pending) nothing can be
/// awaited: `BufWriter`'s own `Drop` discards the buffer and drops `W`, then the orphan hook
/// reports it.
///
/// ```
/// use async_ext::async_scope;
/// use futures::io::{AsyncWriteExt, BufWriter, Cursor};
///
/// #[async_scope]
/// async fn render(out: &mut Vec<u8>, items: &[u32]) -> std::io::Result<()> {
///     #[async_drop]
///     let writer = BufWriter::new(Cursor::new(out));
///     for item in items {
///         writer.write_all(format!("{item};").as_bytes()).await?; // into the buffer
///     }
///     Ok(()) // flushed and closed here, and on `?` or a panic as well
/// }
///
/// let mut out = Vec::new();
/// futures::executor::block_on(render(&mut out, &[1, 2, 3])).unwrap();
/// assert_eq!(out, b"1;2;3;");
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "futures-io")))]
impl<W: AsyncWrite + Unpin> AsyncDrop for BufWriter<W> {
    fn async_drop(&mut self) -> impl Future<Output = ()> {
        close(self)
    }
}

/// The same clean-up, for a `Send` writer.
#[cfg_attr(docsrs, doc(cfg(feature = "futures-io")))]
impl<W: AsyncWrite + Unpin + Send> AsyncDropSend for BufWriter<W> {
    fn async_drop_send(&mut self) -> impl Future<Output = ()> + Send {
        self.async_drop()
    }
}

/// Any `futures-io` [`AsyncWrite`], closed (flushed, then shut) by its async drop.
///
/// Available with async-ext's `futures-io` feature.
///
/// For a writer of another crate that has no `AsyncDrop` impl of its own, since the orphan
/// rule forbids you to write one: `#[async_drop] let conn = CloseOnAsyncDrop::new(stream);`.
/// The adapter derefs to the writer, so its methods stay at hand, and is itself
/// `AsyncWrite` (and `AsyncRead` when the writer is). It needs an `Unpin` writer; wrap a
/// `!Unpin` one in `Box::pin`.
///
/// Its clean-up is `AsyncWriteExt::close`, errors ignored. On cancellation the writer's own
/// `Drop` runs, then the orphan hook reports the adapter.
///
/// ```
/// use async_ext::{CloseOnAsyncDrop, async_scope};
/// use futures::io::{AsyncWriteExt, Cursor};
///
/// #[async_scope]
/// async fn fill(buffer: &mut [u8]) -> std::io::Result<u64> {
///     #[async_drop]
///     let writer = CloseOnAsyncDrop::new(Cursor::new(buffer));
///     writer.write_all(b"abc").await?;
///     Ok(writer.position()) // a method of the `Cursor`, through `Deref`
/// }
///
/// let mut buffer = [0; 4];
/// assert_eq!(futures::executor::block_on(fill(&mut buffer)).unwrap(), 3);
/// assert_eq!(&buffer, b"abc\0");
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "futures-io")))]
#[derive(Debug, Default)]
pub struct CloseOnAsyncDrop<W> {
    writer: W,
}

impl<W> CloseOnAsyncDrop<W> {
    /// Wraps `writer`, which is closed when the value is async-dropped.
    pub fn new(writer: W) -> Self {
        Self { writer }
    }

    /// The writer, which is no longer closed on async drop.
    pub fn into_inner(self) -> W {
        self.writer
    }
}

impl<W> Deref for CloseOnAsyncDrop<W> {
    type Target = W;

    fn deref(&self) -> &W {
        &self.writer
    }
}

impl<W> DerefMut for CloseOnAsyncDrop<W> {
    fn deref_mut(&mut self) -> &mut W {
        &mut self.writer
    }
}

/// Closes the writer: its buffered bytes are flushed, then it is shut.
#[cfg_attr(docsrs, doc(cfg(feature = "futures-io")))]
impl<W: AsyncWrite + Unpin> AsyncDrop for CloseOnAsyncDrop<W> {
    fn async_drop(&mut self) -> impl Future<Output = ()> {
        close(&mut self.writer)
    }
}

/// The same clean-up, for a `Send` writer.
#[cfg_attr(docsrs, doc(cfg(feature = "futures-io")))]
impl<W: AsyncWrite + Unpin + Send> AsyncDropSend for CloseOnAsyncDrop<W> {
    fn async_drop_send(&mut self) -> impl Future<Output = ()> + Send {
        self.async_drop()
    }
}

// The adapter is the writer for I/O too: every call is forwarded unchanged.
impl<W: AsyncWrite + Unpin> AsyncWrite for CloseOnAsyncDrop<W> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<futures_io::Result<usize>> {
        Pin::new(&mut self.get_mut().writer).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<futures_io::Result<usize>> {
        Pin::new(&mut self.get_mut().writer).poll_write_vectored(cx, bufs)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<futures_io::Result<()>> {
        Pin::new(&mut self.get_mut().writer).poll_flush(cx)
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<futures_io::Result<()>> {
        Pin::new(&mut self.get_mut().writer).poll_close(cx)
    }
}

impl<W: AsyncRead + Unpin> AsyncRead for CloseOnAsyncDrop<W> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<futures_io::Result<usize>> {
        Pin::new(&mut self.get_mut().writer).poll_read(cx, buf)
    }

    fn poll_read_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &mut [IoSliceMut<'_>],
    ) -> Poll<futures_io::Result<usize>> {
        Pin::new(&mut self.get_mut().writer).poll_read_vectored(cx, bufs)
    }
}
