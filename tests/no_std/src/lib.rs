//! async-ext in a `#![no_std]` crate: only `core` and `alloc`, `async-ext` without its `std`
//! feature. Every macro that works without `std` is expanded here; `tests/tests/no_std.rs`
//! builds this crate on its own (so the `std` feature is really off) and runs nothing: building
//! is the test.

#![no_std]
#![deny(warnings)]

extern crate alloc;

use alloc::vec::Vec;
use async_ext::for_await;
use futures_core::Stream;

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
