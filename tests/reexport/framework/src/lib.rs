//! A framework crate that hands `#[async_trait_ext]` to its users under async-trait's name,
//! the one line a framework writes, so they need no dependency of their own.

pub use async_ext::async_trait_ext as async_trait;
