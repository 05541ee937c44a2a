//! Async drop of tokio's types (the `tokio` feature), against the real types: a TCP
//! connection on 127.0.0.1, a Unix socket pair, temporary files, spawned tasks.
//!
//! Each writer test checks the three ways a scope ends (its value, `?`, a panic): the bytes
//! written before the end are on the other side once the fn has returned. Each task test
//! checks, with a drop counter in the task's state, that the task's future was dropped before
//! the fn returned.

mod async_drop_ecosystem;

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use async_drop_ecosystem::{Exit, PAYLOAD, TempPath, write_then_end};
use async_ext::{AsyncDrop, AsyncDropSend, async_scope};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufWriter};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::{JoinHandle, JoinSet};

/// Only a guard against a hang: a peer waiting for an end of stream that never comes.
const HANG: Duration = Duration::from_secs(30);

/// Writes `PAYLOAD` with tokio's `write_all`: the `write` step of `write_then_end`.
async fn write_payload<W: AsyncWrite + Unpin>(writer: &mut W) -> io::Result<()> {
    writer.write_all(PAYLOAD).await
}

// ---- sockets ----------------------------------------------------------------------------

/// A connection seen three ways: `ours` for the scope, `kept`, another handle on the same
/// socket that outlives the scope (so an end of stream can only come from a shutdown, not from
/// closing), and the `peer`.
struct Connection<S> {
    ours: S,
    kept: S,
    peer: S,
}

async fn tcp_connection() -> Connection<TcpStream> {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (ours, accepted) = tokio::join!(TcpStream::connect(addr), listener.accept());
    let ours = ours.unwrap().into_std().unwrap();
    let kept = ours.try_clone().unwrap();
    Connection {
        ours: TcpStream::from_std(ours).unwrap(),
        kept: TcpStream::from_std(kept).unwrap(),
        peer: accepted.unwrap().0,
    }
}

#[cfg(unix)]
fn unix_connection() -> Connection<tokio::net::UnixStream> {
    let (ours, peer) = std::os::unix::net::UnixStream::pair().unwrap();
    let kept = ours.try_clone().unwrap();
    // One open file for both handles: this makes `kept` non-blocking as well.
    ours.set_nonblocking(true).unwrap();
    peer.set_nonblocking(true).unwrap();
    Connection {
        ours: tokio::net::UnixStream::from_std(ours).unwrap(),
        kept: tokio::net::UnixStream::from_std(kept).unwrap(),
        peer: tokio::net::UnixStream::from_std(peer).unwrap(),
    }
}

/// After the scope has returned: the peer reads every byte, then the end of the stream (the
/// write half was shut down, since `kept` holds the socket open), and only the write half:
/// the peer's reply still reaches `kept`.
async fn assert_delivered_and_write_half_shut<S: AsyncRead + AsyncWrite + Unpin>(
    mut peer: S,
    mut kept: S,
) {
    let mut received = Vec::new();
    tokio::time::timeout(HANG, peer.read_to_end(&mut received))
        .await
        .expect("the peer never read the end of the stream: the write half was not shut down")
        .unwrap();
    assert_eq!(received, PAYLOAD);

    peer.write_all(b"reply").await.unwrap();
    let mut reply = [0; 5];
    kept.read_exact(&mut reply).await.unwrap();
    assert_eq!(&reply, b"reply");
}

#[tokio::test]
async fn tcp_stream_is_shut_down_on_every_exit() {
    for exit in Exit::ALL {
        let Connection { ours, kept, peer } = tcp_connection().await;
        exit.assert_ended(write_then_end(ours, write_payload, exit))
            .await;
        assert_delivered_and_write_half_shut(peer, kept).await;
    }
}

#[tokio::test]
async fn buffered_tcp_stream_is_flushed_then_shut_down_on_every_exit() {
    for exit in Exit::ALL {
        let Connection { ours, kept, peer } = tcp_connection().await;
        // The buffer holds all of `PAYLOAD`: nothing reaches the socket before the clean-up.
        let buffered = BufWriter::with_capacity(4 * PAYLOAD.len(), ours);
        exit.assert_ended(write_then_end(buffered, write_payload, exit))
            .await;
        assert_delivered_and_write_half_shut(peer, kept).await;
    }
}

#[cfg(unix)]
#[tokio::test]
async fn unix_stream_is_shut_down_on_every_exit() {
    for exit in Exit::ALL {
        let Connection { ours, kept, peer } = unix_connection();
        exit.assert_ended(write_then_end(ours, write_payload, exit))
            .await;
        assert_delivered_and_write_half_shut(peer, kept).await;
    }
}

#[cfg(unix)]
#[tokio::test]
async fn buffered_unix_stream_is_flushed_then_shut_down_on_every_exit() {
    for exit in Exit::ALL {
        let Connection { ours, kept, peer } = unix_connection();
        let buffered = BufWriter::new(ours);
        exit.assert_ended(write_then_end(buffered, write_payload, exit))
            .await;
        assert_delivered_and_write_half_shut(peer, kept).await;
    }
}

/// A `let` binding in a fn spawned on the multi-thread runtime: the scope's future is `Send`
/// because `BufWriter<TcpStream>` is `AsyncDropSend`.
#[async_scope]
async fn send_buffered(addr: std::net::SocketAddr, exit: Exit) -> io::Result<()> {
    #[async_drop]
    let out = BufWriter::new(TcpStream::connect(addr).await?);
    out.write_all(PAYLOAD).await?;
    assert_eq!(out.buffer(), PAYLOAD, "still buffered when the body ends");
    exit.leave()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spawned_scope_flushes_its_buffered_stream() {
    for exit in Exit::ALL {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let scope = tokio::spawn(exit.assert_ended(send_buffered(addr, exit)));
        let (mut peer, _) = listener.accept().await.unwrap();
        scope.await.unwrap();

        let mut received = Vec::new();
        tokio::time::timeout(HANG, peer.read_to_end(&mut received))
            .await
            .expect("the peer never read the end of the stream")
            .unwrap();
        assert_eq!(received, PAYLOAD);
    }
}

// ---- files ------------------------------------------------------------------------------

/// Large enough that writing it takes a while: tokio's `write_all` returns as soon as it has
/// handed the bytes to a blocking thread, which then writes them in one go (see `save`).
fn large_payload() -> Vec<u8> {
    (0..16 * 1024 * 1024 + 7)
        .map(|i: usize| u8::try_from(i % 251).unwrap())
        .collect()
}

/// The scope under test for files: a `let` binding, created in the body.
#[async_scope]
async fn save(path: &std::path::Path, bytes: &[u8], buffered: bool, exit: Exit) -> io::Result<()> {
    let mut file = tokio::fs::File::create(path).await?;
    // One blocking write for all of `bytes`, still under way when `write_all` returns.
    file.set_max_buf_size(bytes.len());
    if buffered {
        #[async_drop]
        let buffered = BufWriter::new(file);
        buffered.write_all(bytes).await?;
    } else {
        #[async_drop]
        let unbuffered = file;
        unbuffered.write_all(bytes).await?;
    }
    exit.leave()
}

#[tokio::test]
async fn file_holds_every_byte_when_the_fn_returns_on_every_exit() {
    let payload = large_payload();
    for exit in Exit::ALL {
        let file = TempPath::new("tokio-file");
        exit.assert_ended(save(file.path(), &payload, false, exit))
            .await;
        // The length first, at once: the write must be complete, not merely under way.
        let length = std::fs::metadata(file.path()).unwrap().len();
        assert_eq!(length, payload.len() as u64, "{exit:?}");
        assert!(
            std::fs::read(file.path()).unwrap() == payload,
            "{exit:?}: the bytes differ"
        );
    }
}

#[tokio::test]
async fn buffered_file_holds_every_byte_when_the_fn_returns_on_every_exit() {
    for exit in Exit::ALL {
        let file = TempPath::new("tokio-buffered-file");
        exit.assert_ended(save(file.path(), PAYLOAD, true, exit))
            .await;
        assert_eq!(std::fs::read(file.path()).unwrap(), PAYLOAD, "{exit:?}");
    }
}

// ---- tasks ------------------------------------------------------------------------------

/// Counts its drops: held by a task's future, it says when that future was dropped.
struct CountOnDrop(Arc<AtomicUsize>);

impl Drop for CountOnDrop {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// A task that signals once it runs, then waits forever: only an abort stops it.
fn endless_task(
    dropped: &Arc<AtomicUsize>,
) -> (
    impl Future<Output = ()> + Send + 'static,
    oneshot::Receiver<()>,
) {
    let guard = CountOnDrop(dropped.clone());
    let (started, has_started) = oneshot::channel();
    let task = async move {
        let _guard = guard;
        let _ = started.send(()); // nobody listens for the task that never starts
        std::future::pending::<()>().await;
    };
    (task, has_started)
}

#[async_scope]
async fn own_a_task(dropped: Arc<AtomicUsize>, exit: Exit) -> io::Result<()> {
    let (task, has_started) = endless_task(&dropped);
    #[async_drop]
    let handle = tokio::spawn(task);
    has_started.await.unwrap();
    assert!(!handle.is_finished());
    assert_eq!(
        dropped.load(Ordering::SeqCst),
        0,
        "the task runs until the scope ends"
    );
    exit.leave()
}

#[async_scope]
async fn own_a_task_set(dropped: Arc<AtomicUsize>, exit: Exit) -> io::Result<()> {
    #[async_drop]
    let tasks = JoinSet::new();
    for _ in 0..3 {
        let (task, has_started) = endless_task(&dropped);
        tasks.spawn(task);
        has_started.await.unwrap();
    }
    // One more that never gets to start: an abort drops its future all the same.
    let (task, _) = endless_task(&dropped);
    tasks.spawn(task);
    assert_eq!(
        dropped.load(Ordering::SeqCst),
        0,
        "the tasks run until the scope ends"
    );
    exit.leave()
}

#[tokio::test]
async fn owned_task_is_stopped_before_the_fn_returns_on_every_exit() {
    for exit in Exit::ALL {
        let dropped = Arc::new(AtomicUsize::new(0));
        exit.assert_ended(own_a_task(dropped.clone(), exit)).await;
        assert_eq!(dropped.load(Ordering::SeqCst), 1, "{exit:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn owned_task_is_stopped_before_a_spawned_fn_returns() {
    for exit in Exit::ALL {
        let dropped = Arc::new(AtomicUsize::new(0));
        // Spawned: the scope's future is `Send`, through `JoinHandle`'s `AsyncDropSend`.
        tokio::spawn(exit.assert_ended(own_a_task(dropped.clone(), exit)))
            .await
            .unwrap();
        assert_eq!(dropped.load(Ordering::SeqCst), 1, "{exit:?}");
    }
}

#[tokio::test]
async fn owned_task_set_is_stopped_before_the_fn_returns_on_every_exit() {
    for exit in Exit::ALL {
        let dropped = Arc::new(AtomicUsize::new(0));
        exit.assert_ended(own_a_task_set(dropped.clone(), exit))
            .await;
        assert_eq!(dropped.load(Ordering::SeqCst), 4, "{exit:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn owned_task_set_is_stopped_before_a_spawned_fn_returns() {
    for exit in Exit::ALL {
        let dropped = Arc::new(AtomicUsize::new(0));
        tokio::spawn(exit.assert_ended(own_a_task_set(dropped.clone(), exit)))
            .await
            .unwrap();
        assert_eq!(dropped.load(Ordering::SeqCst), 4, "{exit:?}");
    }
}

/// Generic over the value it owns, so its clean-up is `AsyncDrop::async_drop`: for a concrete
/// `Send` type, as in the scopes above, `#[async_scope]` calls `async_drop_send` instead.
#[async_scope]
async fn own<T: AsyncDrop>(#[async_drop] _owned: T, exit: Exit) -> io::Result<()> {
    exit.leave()
}

#[tokio::test]
async fn task_owned_by_generic_code_is_stopped_before_the_fn_returns_on_every_exit() {
    for exit in Exit::ALL {
        let dropped = Arc::new(AtomicUsize::new(0));
        let (task, has_started) = endless_task(&dropped);
        let handle = tokio::spawn(task);
        has_started.await.unwrap();
        exit.assert_ended(own(handle, exit)).await;
        assert_eq!(dropped.load(Ordering::SeqCst), 1, "{exit:?}");
    }
}

#[tokio::test]
async fn task_set_owned_by_generic_code_is_stopped_before_the_fn_returns_on_every_exit() {
    for exit in Exit::ALL {
        let dropped = Arc::new(AtomicUsize::new(0));
        let mut tasks = JoinSet::new();
        for _ in 0..3 {
            let (task, has_started) = endless_task(&dropped);
            tasks.spawn(task);
            has_started.await.unwrap();
        }
        exit.assert_ended(own(tasks, exit)).await;
        assert_eq!(dropped.load(Ordering::SeqCst), 3, "{exit:?}");
    }
}

/// A handle the body awaited to the end: polling it again would panic in tokio, so the
/// clean-up must leave it alone.
#[async_scope]
async fn await_own_task() -> u32 {
    #[async_drop]
    let handle = tokio::spawn(async { 7 });
    handle.await.unwrap()
}

#[tokio::test]
async fn task_awaited_by_the_body_is_left_alone() {
    assert_eq!(await_own_task().await, 7);
}

/// Counts its drop, then panics: a task holding it ends in a panic when it is aborted.
struct PanicOnDrop(Arc<AtomicUsize>);

impl Drop for PanicOnDrop {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
        panic!("the task's state panicked when dropped");
    }
}

/// Owns a running task whose abort panics: the clean-up awaits the handle, which returns the
/// panic as an error, and discards it, as `JoinHandle`'s `Drop` would; the fn returns normally.
#[async_scope]
async fn own_a_task_that_panics_when_aborted(dropped: Arc<AtomicUsize>) -> u32 {
    let guard = PanicOnDrop(dropped);
    let (started, has_started) = oneshot::channel();
    #[async_drop]
    let handle = tokio::spawn(async move {
        let _guard = guard;
        let _ = started.send(());
        std::future::pending::<()>().await;
    });
    has_started.await.unwrap();
    assert!(!handle.is_finished());
    1
}

#[tokio::test]
async fn panic_of_an_aborted_task_is_discarded() {
    let dropped = Arc::new(AtomicUsize::new(0));
    assert_eq!(
        own_a_task_that_panics_when_aborted(dropped.clone()).await,
        1
    );
    assert_eq!(dropped.load(Ordering::SeqCst), 1, "the task was stopped");
}

/// The `AsyncDropSend` impls, checked as bounds (the spawning tests check them in use).
#[test]
fn tokio_types_are_async_drop_send() {
    fn async_drop_send<T: AsyncDropSend + Send>() {}
    async_drop_send::<BufWriter<TcpStream>>();
    async_drop_send::<TcpStream>();
    #[cfg(unix)]
    async_drop_send::<tokio::net::UnixStream>();
    async_drop_send::<tokio::fs::File>();
    async_drop_send::<BufWriter<tokio::fs::File>>();
    async_drop_send::<JoinHandle<String>>();
    async_drop_send::<JoinSet<String>>();
}

// ---- cancellation -----------------------------------------------------------------------

/// Owns a task, tells the caller the task runs, then waits forever: only a cancellation ends
/// it.
#[async_scope]
async fn own_a_task_until_cancelled(dropped: Arc<AtomicUsize>, running: oneshot::Sender<()>) {
    let (task, has_started) = endless_task(&dropped);
    #[async_drop]
    let _handle = tokio::spawn(task);
    has_started.await.unwrap();
    running.send(()).unwrap();
    std::future::pending::<()>().await;
}

/// The documented fallback: nothing can be awaited, so `JoinHandle`'s own `Drop` detaches the
/// task (it keeps running) and the orphan hook reports the handle. The only test of this
/// binary that sets the process-wide hook; the others leave no orphan.
#[tokio::test]
async fn cancelled_scope_detaches_its_task_and_reports_the_orphan() {
    static ORPHANS: std::sync::Mutex<Vec<&'static str>> = std::sync::Mutex::new(Vec::new());
    async_ext::set_orphan_hook(|orphan| ORPHANS.lock().unwrap().push(orphan.type_name()));

    let dropped = Arc::new(AtomicUsize::new(0));
    let (running, is_running) = oneshot::channel();
    tokio::select! {
        () = own_a_task_until_cancelled(dropped.clone(), running) => unreachable!(),
        _ = is_running => {} // the scope's future is dropped here
    }
    assert_eq!(
        *ORPHANS.lock().unwrap(),
        [std::any::type_name::<JoinHandle<()>>()]
    );
    assert_eq!(
        dropped.load(Ordering::SeqCst),
        0,
        "the task was detached, not stopped"
    );
}

/// The graceful form the docs point to: under `cancel_gracefully`, the cancelled scope still
/// stops and awaits its task.
#[tokio::test]
async fn gracefully_cancelled_scope_stops_its_task() {
    let dropped = Arc::new(AtomicUsize::new(0));
    let (running, is_running) = oneshot::channel();
    let outcome = async_ext::cancel_gracefully(
        own_a_task_until_cancelled(dropped.clone(), running),
        is_running,
    )
    .await;
    assert_eq!(outcome, Err(async_ext::Cancelled));
    assert_eq!(dropped.load(Ordering::SeqCst), 1);
}
