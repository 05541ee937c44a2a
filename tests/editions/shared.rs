// Every async-ext macro, written with what edition 2018 already allows, so that the same text
// compiles in each edition crate that `include!`s it (an included file takes the edition of
// the crate that includes it). What differs between the editions is how rustc reads the
// expansions: `impl Trait` captures only named lifetimes before 2024 (`words` below needs the
// attribute to add the capture), `gen` is reserved in 2024, temporaries in tail expressions
// and `if let` scrutinees drop earlier in 2024, and paths resolve as in 2018 everywhere.

use async_ext::{
    async_closure, async_scope, async_stream, async_trait_ext, async_try_stream, defer_async,
    disarm, for_await, stream, try_stream, AsyncDrop, AsyncFn, AsyncFnMut, AsyncFnOnce, Stream,
};
use core::future::Future;
use core::pin::Pin;
use std::sync::{Arc, Mutex};

/// A shared log of events.
pub type Log = Arc<Mutex<Vec<String>>>;

fn push(log: &Log, event: &str) {
    log.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .push(event.to_owned());
}

// ----- traits ----------------------------------------------------------------------------

/// Boxed mode: a dyn-compatible trait with async methods.
#[async_trait_ext]
pub trait Store {
    /// Reads a value.
    async fn get(&self, key: &str) -> Option<u32>;
    /// Writes a value.
    async fn put(&mut self, key: String, value: u32);
    /// A default body.
    async fn count(&self) -> usize {
        0
    }
    /// A sync method.
    fn name(&self) -> &str;
}

/// A store in memory.
#[derive(Debug, Default)]
pub struct Memory {
    label: String,
    entries: Vec<(String, u32)>,
}

#[async_trait_ext]
impl Store for Memory {
    async fn get(&self, key: &str) -> Option<u32> {
        self.entries
            .iter()
            .find(|entry| entry.0 == key)
            .map(|entry| entry.1)
    }

    async fn put(&mut self, key: String, value: u32) {
        self.entries.push((key, value));
    }

    async fn count(&self) -> usize {
        self.entries.len()
    }

    fn name(&self) -> &str {
        &self.label
    }
}

/// Native mode, with its `DynSource` companion.
#[async_trait_ext(native)]
pub trait Source {
    /// The next number.
    async fn next_number(&mut self) -> Option<u32>;
    /// A default body.
    async fn skip(&mut self) -> bool {
        self.next_number().await.is_some()
    }
}

/// Counts up to a limit.
#[derive(Debug)]
pub struct Counter {
    /// The next number.
    pub next: u32,
    /// Where counting stops.
    pub limit: u32,
}

impl Source for Counter {
    async fn next_number(&mut self) -> Option<u32> {
        if self.next == self.limit {
            return None;
        }
        self.next += 1;
        Some(self.next)
    }
}

/// Drains a source through the dyn companion.
pub async fn drain(source: &mut DynSource<'_>) -> Vec<u32> {
    let mut numbers = Vec::new();
    while let Some(n) = source.next_number().await {
        numbers.push(n);
    }
    numbers
}

// ----- closures --------------------------------------------------------------------------

/// A lending async closure with mutable state.
#[must_use]
pub fn counter(start: u32) -> impl AsyncFnMut<(u32,), Output = String> {
    async_closure!({ let mut n = start; let prefix = String::from("item-"); }
    async |step: u32| -> String {
        n += step;
        format!("{prefix}{n}")
    })
}

/// Calls any `AsyncFn` twice.
pub async fn twice<F: AsyncFn<(u64,), Output = u64>>(f: &F) -> u64 {
    f.call((1,)).await + f.call((2,)).await
}

/// A native async closure that borrows none of its captures is an `AsyncFn` too (async
/// closures are stable in every edition since 2018).
pub async fn native_closure() -> u64 {
    twice(&async |x: u64| x * 10).await
}

/// A closure called once, moving its capture out.
pub async fn finish(last: &str) -> Vec<String> {
    let finish = async_closure!(once { let mut parts = vec![String::from("a")]; }
    async |last: &str| -> Vec<String> {
        parts.push(last.to_owned());
        parts
    });
    finish.call_once((last,)).await
}

// ----- streams ---------------------------------------------------------------------------

/// `stream!` with a `for await` over another stream.
pub fn doubled(from: u32) -> impl Stream<Item = u32> {
    stream! {
        let inner = stream! { for i in 0..from { yield i; } };
        for await n in inner {
            yield n * 2;
        }
    }
}

/// `try_stream!` with `?`.
pub fn parsed(
    texts: Vec<&'static str>,
) -> impl Stream<Item = Result<u32, std::num::ParseIntError>> {
    try_stream! {
        for text in texts {
            let n: u32 = text.parse()?;
            yield n;
        }
    }
}

/// The attribute form.
#[async_stream(item = u32)]
pub async fn evens(limit: u32) {
    for i in (0..limit).step_by(2) {
        yield_!(i);
    }
}

/// The attribute form, fallible and boxed.
#[async_try_stream(ok = u32, error = std::num::ParseIntError, boxed)]
pub async fn parse_all(texts: Vec<String>) {
    for text in texts {
        yield_!(text.parse::<u32>()?);
    }
}

/// A generator borrowing its argument (in 2018 and 2021, `impl Trait` captures no lifetime by
/// itself: the attribute must add the capture).
#[async_stream(item = &'a str)]
pub async fn words<'a>(text: &'a str) {
    for word in text.split(' ') {
        yield_!(word);
    }
}

// ----- for await -------------------------------------------------------------------------

/// `#[for_await]` on an async fn.
#[for_await]
pub async fn total<S: Stream<Item = u32>>(numbers: S) -> u32 {
    let mut sum = 0;
    #[for_await]
    for n in numbers {
        sum += n;
    }
    sum
}

// ----- async drop ------------------------------------------------------------------------

/// A resource with an async clean-up.
#[derive(Debug)]
pub struct Conn {
    name: &'static str,
    log: Log,
}

impl AsyncDrop for Conn {
    fn async_drop(&mut self) -> impl Future<Output = ()> {
        let (name, log) = (self.name, self.log.clone());
        async move { push(&log, &format!("close {name}")) }
    }
}

/// A derived clean-up.
#[derive(AsyncDrop, Debug)]
pub struct Pair {
    #[async_drop]
    first: Conn,
    #[async_drop]
    second: Conn,
}

/// `#[async_scope]` with marked parameters and lets, `defer_async!` and `disarm!`.
#[async_scope]
pub async fn scoped(log: Log, #[async_drop] conn: Conn) -> usize {
    #[async_drop]
    let pair = Pair {
        first: Conn {
            name: "first",
            log: log.clone(),
        },
        second: Conn {
            name: "second",
            log: log.clone(),
        },
    };
    #[async_drop]
    let kept = Conn {
        name: "kept",
        log: log.clone(),
    };
    let log_for_defer = log.clone();
    defer_async!(async move { push(&log_for_defer, "deferred") });
    push(
        &log,
        &format!(
            "body with {}, {} and {}",
            conn.name, pair.first.name, kept.name
        ),
    );
    let taken: Conn = disarm!(kept);
    taken.name.len()
}

/// Runs every expansion above on the executor it is given.
///
/// # Panics
///
/// When an expansion does not behave as documented.
#[for_await]
pub fn run_all(block_on: fn(Pin<Box<dyn Future<Output = ()>>>)) {
    block_on(Box::pin(async {
        let mut memory = Memory {
            label: String::from("memory"),
            ..Memory::default()
        };
        memory.put(String::from("a"), 1).await;
        let store: Box<dyn Store + Sync> = Box::new(memory);
        assert_eq!(store.get("a").await, Some(1));
        assert_eq!(store.count().await, 1);
        assert_eq!(store.name(), "memory");

        let mut counting = Counter { next: 0, limit: 3 };
        assert_eq!(drain(DynSource::from_mut(&mut counting)).await, [1, 2, 3]);

        let mut next = counter(1);
        assert_eq!(next.call_mut((2,)).await, "item-3");
        assert_eq!(next.call_mut((3,)).await, "item-6");
        let scale = async_closure!({ let factor = 3u64; } async |x: u64| x * factor);
        assert_eq!(twice(&scale).await, 9);
        assert_eq!(finish("b").await, ["a", "b"]);
        assert_eq!(native_closure().await, 30);

        assert_eq!(total(doubled(4)).await, 2 * (1 + 2 + 3));
        assert_eq!(total(evens(7)).await, 2 + 4 + 6);
        let text = String::from("a bc d");
        assert_eq!(collect(words(&text)).await, ["a", "bc", "d"]);
        let mut ok = Vec::new();
        let mut errors = 0;
        #[for_await]
        for item in parsed(vec!["1", "2", "x", "4"]) {
            match item {
                Ok(n) => ok.push(n),
                Err(_) => errors += 1,
            }
        }
        assert_eq!((ok, errors), (vec![1, 2], 1));
        let all: Vec<String> = vec![String::from("5"), String::from("y")];
        let results = collect(parse_all(all)).await;
        assert_eq!(results.len(), 2);
        assert_eq!(results[0].as_ref().ok(), Some(&5));

        let log = Log::default();
        let n = scoped(
            log.clone(),
            Conn {
                name: "conn",
                log: log.clone(),
            },
        )
        .await;
        assert_eq!(n, "kept".len());
        let events = log
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        assert_eq!(
            events,
            [
                "body with conn, first and kept",
                "deferred",
                "close first",
                "close second",
                "close conn"
            ]
        );
    }));
}

#[for_await]
async fn collect<S: Stream>(stream: S) -> Vec<S::Item> {
    let mut items = Vec::new();
    #[for_await]
    for item in stream {
        items.push(item);
    }
    items
}
