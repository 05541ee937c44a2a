//! async-ext in a `#![no_std]` crate: only `core` and `alloc`, `async-ext` without its `std`
//! feature. Every macro is expanded here; `tests/tests/no_std.rs` builds this crate on its own
//! (so the `std` feature is really off). Building is the test; `run_all` uses every expansion, and a unit
//! test runs it with an executor.

#![no_std]
#![deny(warnings)]

extern crate alloc;

use alloc::string::String;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicUsize, Ordering};

use async_ext::{
    AsyncDrop, AsyncFnMut, Stream, async_closure, async_scope, async_stream, async_trait_ext,
    async_try_stream, defer_async, for_await, stream, try_stream,
};

/// Boxed mode: boxes come from `alloc`, through the runtime, with no `extern crate alloc`
/// needed in the user's crate for the expansion itself.
#[async_trait_ext]
pub trait Store {
    /// Reads a value.
    async fn get(&self, key: u8) -> Option<u32>;
}

/// Native mode, with its companion.
#[async_trait_ext(native)]
pub trait Source {
    /// The next number.
    async fn next_number(&mut self) -> Option<u32>;
}

/// A store of one value.
#[derive(Debug)]
pub struct One(pub u8, pub u32);

#[async_trait_ext]
impl Store for One {
    async fn get(&self, key: u8) -> Option<u32> {
        (key == self.0).then_some(self.1)
    }
}

impl Source for One {
    async fn next_number(&mut self) -> Option<u32> {
        self.1 = self.1.checked_sub(1)?;
        Some(self.1)
    }
}

/// A generator.
pub fn countdown_generator(from: u32) -> impl Stream<Item = u32> {
    stream! {
        for i in (1..=from).rev() {
            yield i;
        }
    }
}

/// A fallible generator.
pub fn checked(values: Vec<u32>) -> impl Stream<Item = Result<u32, &'static str>> {
    try_stream! {
        for v in values {
            if v == 0 {
                Err("zero")?;
            }
            yield v;
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

/// The fallible attribute form.
#[async_try_stream(ok = u32, error = core::num::ParseIntError)]
pub async fn parse_all(texts: Vec<String>) {
    for text in texts {
        yield_!(text.parse::<u32>()?);
    }
}

/// A hand-written stream, for `#[for_await]`: counts down from a number to 1.
#[derive(Debug)]
pub struct Countdown(pub u32);

impl Stream for Countdown {
    type Item = u32;

    fn poll_next(
        mut self: core::pin::Pin<&mut Self>,
        _: &mut core::task::Context<'_>,
    ) -> core::task::Poll<Option<u32>> {
        let current = self.0;
        self.0 = current.saturating_sub(1);
        core::task::Poll::Ready((current > 0).then_some(current))
    }
}

/// `#[for_await]` needs nothing from `std`.
#[for_await]
pub async fn collect<S: Stream>(stream: S) -> Vec<S::Item> {
    let mut items = Vec::new();
    #[for_await]
    for item in stream {
        items.push(item);
    }
    items
}

/// A closure.
#[must_use]
pub fn adder() -> impl AsyncFnMut<(u32,), Output = u32> {
    async_closure!({ let mut total = 0u32; } async |x: u32| -> u32 {
        total += x;
        total
    })
}

/// How many clean-ups ran.
pub static CLOSED: AtomicUsize = AtomicUsize::new(0);

/// A resource with an async clean-up.
#[derive(Debug)]
pub struct Conn;

impl AsyncDrop for Conn {
    async fn async_drop(&mut self) {
        CLOSED.fetch_add(1, Ordering::SeqCst);
    }
}

/// A derived clean-up.
#[derive(AsyncDrop, Debug)]
pub struct Pair {
    #[async_drop]
    a: Conn,
    #[async_drop]
    b: Conn,
}

/// The async-drop core without `std`: a scope with marked values and a deferred future.
#[async_scope]
pub async fn scoped(#[async_drop] conn: Conn) -> u32 {
    #[async_drop]
    let pair = Pair { a: Conn, b: Conn };
    defer_async!(async {
        CLOSED.fetch_add(10, Ordering::SeqCst);
    });
    let _ = (&conn, &pair);
    1
}

/// Uses every expansion once; returns a checksum a test with an executor can assert.
pub async fn run_all() -> u32 {
    let one = One(1, 3);
    let store: &(dyn Store + Sync) = &one;
    let mut sum = store.get(1).await.unwrap_or(0);
    let mut one = One(1, 3);
    let companion = DynSource::from_mut(&mut one);
    while let Some(n) = companion.next_number().await {
        sum += n;
    }
    sum += collect(Countdown(3)).await.into_iter().sum::<u32>();
    sum += collect(countdown_generator(3))
        .await
        .into_iter()
        .sum::<u32>();
    sum += u32::try_from(collect(checked(alloc::vec![1, 0, 5])).await.len()).unwrap_or(0);
    sum += collect(evens(5)).await.into_iter().sum::<u32>();
    let texts = alloc::vec![String::from("4"), String::from("x")];
    sum += u32::try_from(collect(parse_all(texts)).await.len()).unwrap_or(0);
    let mut add = adder();
    sum += add.call_mut((2,)).await;
    sum += scoped(Conn).await;
    sum
}

#[cfg(test)]
mod tests {
    use core::sync::atomic::Ordering;

    #[test]
    fn every_expansion_runs() {
        // get (3) + the companion (2 + 1 + 0) + both countdowns (6 each) + `checked` (`Ok(1)`,
        // then the `Err` that ends it: 2 items) + evens (0 + 2 + 4) + `parse_all` (`Ok(4)`, then
        // the `Err`: 2 items) + the closure (2) + the scope (1).
        assert_eq!(
            futures::executor::block_on(super::run_all()),
            3 + 3 + 12 + 2 + 6 + 2 + 2 + 1
        );
        // conn (1) + the pair's two fields (2) + the deferred future (10).
        assert_eq!(super::CLOSED.load(Ordering::SeqCst), 13);
    }
}
