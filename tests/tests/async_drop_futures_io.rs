//! Async drop in the `futures-io` world (the `futures-io` feature): `futures::io::BufWriter`
//! over a real temporary file, and the `CloseOnAsyncDrop` adapter for any `AsyncWrite`.
//!
//! Each writer test checks the three ways a scope ends (its value, `?`, a panic): the bytes
//! written before the end are in the file once the fn has returned.

mod async_drop_ecosystem;

use std::fs::File;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use async_drop_ecosystem::{Exit, PAYLOAD, TempPath, write_then_end};
use async_ext::{AsyncDropSend, CloseOnAsyncDrop, async_scope};
use futures::executor::block_on;
use futures::io::{AllowStdIo, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufWriter, Cursor};

/// Writes `PAYLOAD` with futures-io's `write_all`: the `write` step of `write_then_end`.
async fn write_payload<W: AsyncWrite + Unpin>(writer: &mut W) -> io::Result<()> {
    writer.write_all(PAYLOAD).await
}

/// A buffered writer over a real file, which keeps the bytes until it is flushed: dropped
/// without its clean-up, it loses them (`futures::io::BufWriter` does not flush on `Drop`).
fn buffered_file(file: &TempPath) -> BufWriter<AllowStdIo<File>> {
    BufWriter::new(AllowStdIo::new(File::create(file.path()).unwrap()))
}

#[test]
fn buffered_file_holds_every_byte_when_the_fn_returns_on_every_exit() {
    for exit in Exit::ALL {
        let file = TempPath::new("futures-buffered-file");
        block_on(exit.assert_ended(write_then_end(buffered_file(&file), write_payload, exit)));
        assert_eq!(std::fs::read(file.path()).unwrap(), PAYLOAD, "{exit:?}");
    }
}

#[test]
fn adapted_writer_is_closed_when_the_fn_returns_on_every_exit() {
    for exit in Exit::ALL {
        let file = TempPath::new("futures-adapted-file");
        let adapted = CloseOnAsyncDrop::new(buffered_file(&file));
        block_on(exit.assert_ended(write_then_end(adapted, write_payload, exit)));
        assert_eq!(std::fs::read(file.path()).unwrap(), PAYLOAD, "{exit:?}");
    }
}

/// A `let` binding in a fn spawned on tokio's multi-thread runtime: its future is `Send`
/// because `futures::io::BufWriter<W>` is `AsyncDropSend` for a `Send` writer.
#[async_scope]
async fn save(file: Arc<TempPath>, exit: Exit) -> io::Result<()> {
    #[async_drop]
    let writer = buffered_file(&file);
    writer.write_all(PAYLOAD).await?;
    assert_eq!(
        writer.buffer(),
        PAYLOAD,
        "still buffered when the body ends"
    );
    exit.leave()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spawned_scope_flushes_its_buffered_file() {
    for exit in Exit::ALL {
        let file = Arc::new(TempPath::new("futures-spawned-file"));
        tokio::spawn(exit.assert_ended(save(file.clone(), exit)))
            .await
            .unwrap();
        assert_eq!(std::fs::read(file.path()).unwrap(), PAYLOAD, "{exit:?}");
    }
}

/// A writer that records what is done to it, and whose `close` suspends once before it
/// completes, so the clean-up must really be awaited.
struct Recorder {
    events: Arc<Mutex<Vec<&'static str>>>,
    close_suspended: bool,
}

impl AsyncWrite for Recorder {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.events.lock().unwrap().push("write");
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.events.lock().unwrap().push("flush");
        Poll::Ready(Ok(()))
    }

    fn poll_close(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if !self.close_suspended {
            self.close_suspended = true;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        self.events.lock().unwrap().push("closed");
        Poll::Ready(Ok(()))
    }
}

impl Recorder {
    fn new(events: &Arc<Mutex<Vec<&'static str>>>) -> Self {
        Recorder {
            events: events.clone(),
            close_suspended: false,
        }
    }
}

#[test]
fn buffered_writer_is_flushed_then_closed_on_every_exit() {
    for exit in Exit::ALL {
        let events = Arc::new(Mutex::new(Vec::new()));
        let buffered = BufWriter::new(Recorder::new(&events));
        block_on(exit.assert_ended(write_then_end(buffered, write_payload, exit)));
        // The write is the buffer's, flushed by the clean-up, which then closes the writer
        // (`BufWriter::poll_close` flushes its buffer, not the writer: no "flush").
        assert_eq!(*events.lock().unwrap(), ["write", "closed"], "{exit:?}");
    }
}

#[async_scope]
async fn use_recorder(events: Arc<Mutex<Vec<&'static str>>>, exit: Exit) -> io::Result<()> {
    #[async_drop]
    let writer = CloseOnAsyncDrop::new(Recorder::new(&events));
    writer.write_all(b"x").await?;
    // A field of the writer, through `Deref`.
    assert!(!writer.close_suspended);
    events.lock().unwrap().push("body ends");
    exit.leave()
}

#[test]
fn adapter_awaits_close_after_the_body_on_every_exit() {
    for exit in Exit::ALL {
        let events = Arc::new(Mutex::new(Vec::new()));
        block_on(exit.assert_ended(use_recorder(events.clone(), exit)));
        assert_eq!(
            *events.lock().unwrap(),
            ["write", "body ends", "closed"],
            "{exit:?}"
        );
    }
}

#[test]
fn adapter_forwards_reads_and_hands_the_writer_back() {
    let mut adapted = CloseOnAsyncDrop::new(Cursor::new(b"to read".to_vec()));
    let mut read = String::new();
    block_on(adapted.read_to_string(&mut read)).unwrap();
    assert_eq!(read, "to read");
    assert_eq!(adapted.into_inner().position(), 7);
}

/// The `AsyncDropSend` impls, checked as bounds.
#[test]
fn futures_io_types_are_async_drop_send() {
    fn async_drop_send<T: AsyncDropSend + Send>() {}
    async_drop_send::<BufWriter<AllowStdIo<File>>>();
    async_drop_send::<CloseOnAsyncDrop<Cursor<Vec<u8>>>>();
}
