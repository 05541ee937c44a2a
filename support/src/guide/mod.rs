//! # The async-ext book
//!
//! One chapter per extension: the future language feature it emulates, the stable form, what
//! it expands to, its limits, and how to move to the native feature once it is stable. Every
//! example is a doctest, run by `cargo test --workspace`.

#[doc = include_str!("traits.md")]
#[doc = include_str!("traits_native.md")]
pub mod traits {}

#[doc = include_str!("closures.md")]
pub mod closures {}

#[doc = include_str!("streams.md")]
pub mod streams {}

#[doc = include_str!("for_await.md")]
pub mod for_await {}

#[doc = include_str!("async_drop.md")]
pub mod async_drop {}

#[doc = include_str!("peers.md")]
pub mod peers {}

#[doc = include_str!("soundness.md")]
pub mod soundness {}
