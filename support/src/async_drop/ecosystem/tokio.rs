//! `AsyncDrop` and `AsyncDropSend` for tokio's writers, streams, files and tasks (the `tokio`
//! feature).

use core::future::Future;

use ::tokio::fs::File;
use ::tokio::io::{AsyncWrite, AsyncWriteExt, BufWriter};
use ::tokio::net::TcpStream;
#[cfg(unix)]
use ::tokio::net::UnixStream;
use ::tokio::task::{JoinHandle, JoinSet};

use crate::{AsyncDrop, AsyncDropSend};

/// Flushes what is buffered (for a `BufWriter`) and shuts the writer down: for a socket, the
/// write half, so the peer reads the end of the stream while this side can still read.
async fn shut_down<W: AsyncWrite + Unpin + ?Sized>(writer: &mut W) {
    // No caller to hand the error to (see the module docs of `ecosystem`).
    let _ = writer.shutdown().await;
}

/// Flushes the buffered bytes, then shuts the inner writer down (`BufWriter::shutdown`).
///
/// Without it the buffer is lost: tokio's `BufWriter` does not flush when dropped. `W` must
/// be `Unpin` to be shut down through `&mut self`; wrap a `!Unpin` writer in `Box::pin`.
///
/// On cancellation (the scope's future dropped while the value is pending) nothing can be
/// awaited: `BufWriter`'s own `Drop` discards the buffer and drops `W`, then the orphan hook
/// reports it.
///
/// ```
/// use async_ext::async_scope;
/// use tokio::io::{AsyncReadExt, AsyncWriteExt, BufWriter};
/// use tokio::net::{TcpListener, TcpStream};
///
/// #[async_scope]
/// async fn send(addr: std::net::SocketAddr, lines: &[&str]) -> std::io::Result<()> {
///     #[async_drop]
///     let out = BufWriter::new(TcpStream::connect(addr).await?);
///     for line in lines {
///         out.write_all(line.as_bytes()).await?; // into the buffer
///     }
///     Ok(()) // flushed and shut down here, and on `?` or a panic as well
/// }
///
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let listener = TcpListener::bind("127.0.0.1:0").await?;
/// let addr = listener.local_addr()?;
/// let reader = tokio::spawn(async move {
///     let (mut socket, _) = listener.accept().await?;
///     let mut received = String::new();
///     socket.read_to_string(&mut received).await?; // ends when the writer shuts down
///     std::io::Result::Ok(received)
/// });
/// send(addr, &["one ", "two"]).await?;
/// assert_eq!(reader.await.unwrap()?, "one two");
/// # std::io::Result::Ok(()) }).unwrap();
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
impl<W: AsyncWrite + Unpin> AsyncDrop for BufWriter<W> {
    fn async_drop(&mut self) -> impl Future<Output = ()> {
        shut_down(self)
    }
}

/// The same clean-up, for a `Send` writer.
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
impl<W: AsyncWrite + Unpin + Send> AsyncDropSend for BufWriter<W> {
    fn async_drop_send(&mut self) -> impl Future<Output = ()> + Send {
        self.async_drop()
    }
}

/// Shuts the write half down: the peer reads the end of the stream after every byte written,
/// and the socket is closed when the value is dropped, right after.
///
/// On cancellation, `TcpStream`'s own `Drop` closes the socket without the shutdown (the
/// peer still sees the end of the stream, or a reset if received data was left unread), and
/// the orphan hook reports it.
///
/// ```
/// use async_ext::async_scope;
/// use tokio::io::{AsyncReadExt, AsyncWriteExt};
/// use tokio::net::{TcpListener, TcpStream};
///
/// #[async_scope]
/// async fn request(addr: std::net::SocketAddr) -> std::io::Result<()> {
///     #[async_drop]
///     let stream = TcpStream::connect(addr).await?;
///     stream.write_all(b"ping").await?;
///     Ok(()) // the write half is shut down here
/// }
///
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let listener = TcpListener::bind("127.0.0.1:0").await?;
/// let addr = listener.local_addr()?;
/// let server = tokio::spawn(async move {
///     let (mut socket, _) = listener.accept().await?;
///     let mut received = Vec::new();
///     socket.read_to_end(&mut received).await?;
///     std::io::Result::Ok(received)
/// });
/// request(addr).await?;
/// assert_eq!(server.await.unwrap()?, b"ping");
/// # std::io::Result::Ok(()) }).unwrap();
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
impl AsyncDrop for TcpStream {
    fn async_drop(&mut self) -> impl Future<Output = ()> {
        shut_down(self)
    }
}

/// The same clean-up, as a `Send` future.
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
impl AsyncDropSend for TcpStream {
    fn async_drop_send(&mut self) -> impl Future<Output = ()> + Send {
        self.async_drop()
    }
}

/// Shuts the write half down, as for a `TcpStream` (Unix only).
///
/// On cancellation, `UnixStream`'s own `Drop` closes the socket without the shutdown, and the
/// orphan hook reports it.
///
/// ```
/// # #[cfg(unix)] {
/// use async_ext::async_scope;
/// use tokio::io::{AsyncReadExt, AsyncWriteExt};
/// use tokio::net::UnixStream;
///
/// #[async_scope]
/// async fn greet(#[async_drop] stream: UnixStream) -> std::io::Result<()> {
///     stream.write_all(b"hello").await?;
///     Ok(())
/// }
///
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let (ours, mut theirs) = UnixStream::pair()?;
/// greet(ours).await?;
/// let mut received = Vec::new();
/// theirs.read_to_end(&mut received).await?;
/// assert_eq!(received, b"hello");
/// # std::io::Result::Ok(()) }).unwrap();
/// # }
/// ```
#[cfg_attr(docsrs, doc(cfg(all(feature = "tokio", unix))))]
#[cfg(unix)]
impl AsyncDrop for UnixStream {
    fn async_drop(&mut self) -> impl Future<Output = ()> {
        shut_down(self)
    }
}

/// The same clean-up, as a `Send` future.
#[cfg_attr(docsrs, doc(cfg(all(feature = "tokio", unix))))]
#[cfg(unix)]
impl AsyncDropSend for UnixStream {
    fn async_drop_send(&mut self) -> impl Future<Output = ()> + Send {
        self.async_drop()
    }
}

/// Waits for the pending write (`File::flush`): tokio's `write` returns while the bytes are
/// still being written on a blocking thread, so without it the file may not hold them yet
/// when the fn returns.
///
/// It does not `sync_all`: the bytes reach the OS, not necessarily the disk. (Wrap the file
/// in a `BufWriter` to buffer small writes; its clean-up flushes both.)
///
/// On cancellation, `File`'s own `Drop` lets the pending write go on in the background and
/// closes the file after it, at a time nobody awaits; the orphan hook reports it.
///
/// ```
/// use async_ext::async_scope;
/// use tokio::io::AsyncWriteExt;
///
/// #[async_scope]
/// async fn save(path: &std::path::Path, text: &str) -> std::io::Result<()> {
///     #[async_drop]
///     let file = tokio::fs::File::create(path).await?;
///     file.write_all(text.as_bytes()).await?;
///     Ok(()) // the write has completed when `save` returns
/// }
///
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let path = std::env::temp_dir().join(format!("async-ext-doc-file-{}", std::process::id()));
/// save(&path, "saved").await?;
/// assert_eq!(std::fs::read_to_string(&path)?, "saved");
/// std::fs::remove_file(&path)?;
/// # std::io::Result::Ok(()) }).unwrap();
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
impl AsyncDrop for File {
    async fn async_drop(&mut self) {
        // No caller to hand the error to (see the module docs of `ecosystem`).
        let _ = self.flush().await;
    }
}

/// The same clean-up, as a `Send` future.
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
impl AsyncDropSend for File {
    fn async_drop_send(&mut self) -> impl Future<Output = ()> + Send {
        self.async_drop()
    }
}

/// Aborts the task, then waits until it has stopped: when the scope ends, the task's future
/// has been dropped, so a scope that owns its tasks never leaks one.
///
/// An aborted task stops at its next `.await`, and the clean-up waits for that: a task that
/// never yields, or a `spawn_blocking` closure already running (which cannot be aborted),
/// keeps the scope from ending until it returns. Its result is discarded, a panic of the task
/// included; await the handle in the body to get it (the clean-up then has nothing left to
/// stop).
///
/// On cancellation, `JoinHandle`'s own `Drop` only *detaches* the task, which keeps running;
/// the orphan hook reports the handle. Run the scope under
/// [`cancel_gracefully`](crate::cancel_gracefully) to keep the clean-up when it is cancelled
/// (the `tokio` feature turns on `std`, which that needs).
///
/// ```
/// use async_ext::async_scope;
/// use std::sync::Arc;
/// use std::sync::atomic::{AtomicBool, Ordering};
///
/// struct SetOnDrop(Arc<AtomicBool>);
/// impl Drop for SetOnDrop {
///     fn drop(&mut self) { self.0.store(true, Ordering::SeqCst); }
/// }
///
/// #[async_scope]
/// async fn with_heartbeat(stopped: Arc<AtomicBool>) -> u32 {
///     let guard = SetOnDrop(stopped); // owned by the task's future, started or not
///     #[async_drop]
///     let _heartbeat = tokio::spawn(async move {
///         let _guard = guard;
///         loop { tokio::time::sleep(std::time::Duration::from_millis(10)).await; }
///     });
///     42 // the heartbeat is aborted and awaited here
/// }
///
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let stopped = Arc::new(AtomicBool::new(false));
/// assert_eq!(with_heartbeat(stopped.clone()).await, 42);
/// assert!(stopped.load(Ordering::SeqCst)); // the task's future is gone
/// # });
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
impl<T> AsyncDrop for JoinHandle<T> {
    async fn async_drop(&mut self) {
        self.abort();
        // A finished task has already dropped its future; and polling a handle again after the
        // body awaited it to the end would panic, so only a running task is awaited.
        if !self.is_finished() {
            // Its value, cancellation or panic is discarded, as by `JoinHandle`'s `Drop`.
            let _ = self.await;
        }
    }
}

/// The same clean-up, as a `Send` future, for a task whose output is `Send`.
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
impl<T: Send> AsyncDropSend for JoinHandle<T> {
    fn async_drop_send(&mut self) -> impl Future<Output = ()> + Send {
        self.async_drop()
    }
}

/// Aborts every task of the set, then waits until all have stopped (`JoinSet::shutdown`);
/// the set is empty afterwards. Results, panics included, are discarded; join the tasks in
/// the body to get them.
///
/// On cancellation, `JoinSet`'s own `Drop` aborts the tasks but cannot wait for them: they
/// stop later, at their next `.await`; the orphan hook reports it.
///
/// ```
/// use async_ext::async_scope;
/// use std::sync::Arc;
/// use std::sync::atomic::{AtomicUsize, Ordering};
///
/// struct CountOnDrop(Arc<AtomicUsize>);
/// impl Drop for CountOnDrop {
///     fn drop(&mut self) { self.0.fetch_add(1, Ordering::SeqCst); }
/// }
///
/// #[async_scope]
/// async fn fan_out(stopped: Arc<AtomicUsize>) {
///     #[async_drop]
///     let workers = tokio::task::JoinSet::<()>::new();
///     for _ in 0..3 {
///         let guard = CountOnDrop(stopped.clone());
///         workers.spawn(async move {
///             let _guard = guard;
///             std::future::pending::<()>().await;
///         });
///     }
/// } // all three are aborted and awaited here
///
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let stopped = Arc::new(AtomicUsize::new(0));
/// fan_out(stopped.clone()).await;
/// assert_eq!(stopped.load(Ordering::SeqCst), 3);
/// # });
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
impl<T: 'static> AsyncDrop for JoinSet<T> {
    fn async_drop(&mut self) -> impl Future<Output = ()> {
        self.shutdown()
    }
}

/// The same clean-up, as a `Send` future, for tasks whose output is `Send`.
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
impl<T: Send + 'static> AsyncDropSend for JoinSet<T> {
    fn async_drop_send(&mut self) -> impl Future<Output = ()> + Send {
        self.async_drop()
    }
}
