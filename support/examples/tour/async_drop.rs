//! Tour stop: async drop. A connection and a transaction are cleaned up with `.await` on every
//! exit path of an `#[async_scope]` fn, in reverse order, on `futures::executor::block_on`;
//! a graceful cancellation cleans up too, and a plain one reports the orphan to the hook.

use std::sync::{Arc, Mutex};

use async_ext::{AsyncDrop, Cancelled, async_scope, cancel_gracefully, defer_async};

use crate::show::{code, printed, stop};

const SOURCE: &str = include_str!("async_drop.rs");

type Log = Arc<Mutex<Vec<String>>>;

fn note(log: &Log, event: impl Into<String>) {
    log.lock().unwrap().push(event.into());
}

struct Conn {
    log: Log,
}

impl AsyncDrop for Conn {
    async fn async_drop(&mut self) {
        note(&self.log, "conn: closed");
    }
}

#[derive(AsyncDrop)]
#[async_drop(hook = Self::finish)]
struct Tx {
    log: Log,
    #[async_drop]
    savepoints: Vec<Conn>,
}

impl Tx {
    async fn finish(&mut self) {
        std::future::ready(()).await; // a real transaction awaits its commit or rollback here
        note(&self.log, "tx: finished");
    }
}

// tour: transfer
#[async_scope]
async fn transfer(#[async_drop] conn: Conn, amount: i64) -> Result<i64, String> {
    #[async_drop]
    let tx = Tx {
        log: conn.log.clone(),
        savepoints: Vec::new(),
    };
    let log = tx.log.clone();
    defer_async!(async move { note(&log, "metrics: flushed") });
    if amount < 0 {
        return Err(format!("negative amount {amount}"));
    }
    note(&tx.log, format!("body: moved {amount}"));
    Ok(amount)
}
// tour: end

// tour: serve
#[async_scope]
async fn serve_forever(#[async_drop] conn: Conn) {
    note(&conn.log, "serve: waiting");
    std::future::pending::<()>().await;
}
// tour: end

/// Prints the events logged since the last call.
fn show_log(log: &Log) {
    log.lock().unwrap().drain(..).for_each(printed);
}

pub(crate) fn run() {
    stop("async drop: clean-up awaited on every exit path, in reverse order");
    let log = Log::default();
    let conn = || Conn { log: log.clone() };
    code(file!(), SOURCE, "transfer");

    code(file!(), SOURCE, "normal end");
    // tour: normal end
    let ok = futures::executor::block_on(transfer(conn(), 5));
    // tour: end
    printed(format!("{ok:?}"));
    show_log(&log);

    code(file!(), SOURCE, "early return");
    // tour: early return
    let err = futures::executor::block_on(transfer(conn(), -1));
    // tour: end
    printed(format!("{err:?}"));
    show_log(&log);

    code(file!(), SOURCE, "serve");
    code(file!(), SOURCE, "graceful");
    // tour: graceful
    // The signal (here already ready) cancels the fn: its clean-up is still awaited.
    let cancelled = futures::executor::block_on(cancel_gracefully(
        serve_forever(conn()),
        std::future::ready(()),
    ));
    // tour: end
    assert_eq!(cancelled, Err(Cancelled));
    printed(format!("{cancelled:?}"));
    show_log(&log);

    code(file!(), SOURCE, "dropped");
    // tour: dropped
    // Dropped after one poll (a `select!` loser, a timeout): nothing can be awaited, so the
    // value gets its `Drop` and the orphan hook reports it.
    let hook_log = log.clone();
    async_ext::set_orphan_hook(move |orphan| {
        note(&hook_log, format!("orphan hook: {}", orphan.type_name()));
    });
    let mut future = Box::pin(serve_forever(conn()));
    let waker = std::task::Waker::noop();
    let polled = future
        .as_mut()
        .poll(&mut std::task::Context::from_waker(waker));
    drop(future);
    // tour: end
    assert!(polled.is_pending());
    show_log(&log);
}
