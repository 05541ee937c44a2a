//! Tour stop: async drop. A connection and a transaction are cleaned up with `.await` on every
//! exit path of an `#[async_scope]` fn, in reverse order, on `futures::executor::block_on`;
//! a graceful cancellation cleans up too, and a plain one reports the orphan to the hook.

use std::sync::{Arc, Mutex};

use async_ext::{AsyncDrop, Cancelled, async_scope, cancel_gracefully, defer_async};

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

#[async_scope]
async fn serve_forever(#[async_drop] conn: Conn) {
    note(&conn.log, "serve: waiting");
    std::future::pending::<()>().await;
}

fn show(title: &str, log: &Log) {
    println!("  {title}:");
    for event in log.lock().unwrap().drain(..) {
        println!("    {event}");
    }
}

pub(crate) fn run() {
    println!("async drop: clean-up awaited on every exit path, in reverse order");
    let log = Log::default();
    let conn = || Conn { log: log.clone() };

    let ok = futures::executor::block_on(transfer(conn(), 5));
    show(&format!("normal end -> {ok:?}"), &log);

    let err = futures::executor::block_on(transfer(conn(), -1));
    show(&format!("early return -> {err:?}"), &log);

    let cancelled = futures::executor::block_on(cancel_gracefully(
        serve_forever(conn()),
        std::future::ready(()),
    ));
    assert_eq!(cancelled, Err(Cancelled));
    show("cancel_gracefully -> Err(Cancelled)", &log);

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
    assert!(polled.is_pending());
    drop(future);
    show("dropped after one poll -> the orphan hook", &log);
}
