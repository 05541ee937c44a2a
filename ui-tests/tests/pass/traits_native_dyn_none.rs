//! `dyn = none` accepts every item the companion could not erase, and the expansion is
//! warning-free.
#![deny(warnings)]

use async_ext::async_trait_ext;

/// Items the companion cannot take, all accepted without it.
#[async_trait_ext(native, dyn = none)]
pub trait Connection {
    /// An associated const.
    const CAPACITY: usize;
    /// A generic method.
    async fn send<T: core::fmt::Display + Send>(&self, value: T) -> String;
    /// An `impl Trait` argument.
    async fn send_all(&self, values: impl IntoIterator<Item = u8> + Send) -> usize;
    /// `self` by value.
    async fn close(self) -> usize;
    /// No receiver.
    async fn open(address: String) -> Self
    where
        Self: Sized;
}

/// A connection that counts.
pub struct Counting(usize);

impl Connection for Counting {
    const CAPACITY: usize = 4;

    async fn send<T: core::fmt::Display + Send>(&self, value: T) -> String {
        value.to_string()
    }

    async fn send_all(&self, values: impl IntoIterator<Item = u8> + Send) -> usize {
        values.into_iter().count() + self.0
    }

    async fn close(self) -> usize {
        self.0
    }

    async fn open(address: String) -> Self {
        Counting(address.len())
    }
}

fn main() {
    let _ = Counting::CAPACITY;
}
