//! # The async-ext book
//!
//! One chapter per extension: the future language feature it emulates, the stable form, what
//! it expands to, its limits, and how to move to the native feature once it is stable. Every
//! example is a doctest, run by `cargo test --workspace`.
//!
//! ## Minimum Rust version
//!
//! Everything here works on **Rust 1.85** and later, with every Cargo feature (one per
//! chapter, all on by default). A newer compiler accepts a little more of what you write:
//! let chains in macro bodies (1.88, as anywhere); in native mode, a companion for a trait
//! whose required `where Self: Sized` method returns an `impl Trait` other than an `async
//! fn`'s future (1.87; before it, give that method a default body or write `dyn = none`), and
//! a `Send` default body awaiting another method's future that borrows a trait lifetime (1.92;
//! earlier compilers report "lifetime bound not satisfied").

#[cfg(feature = "traits")]
#[cfg_attr(docsrs, doc(cfg(feature = "traits")))]
#[doc = include_str!("traits.md")]
#[doc = include_str!("traits_native.md")]
pub mod traits {}

#[cfg(feature = "closures")]
#[cfg_attr(docsrs, doc(cfg(feature = "closures")))]
#[doc = include_str!("closures.md")]
pub mod closures {}

#[cfg(feature = "streams")]
#[cfg_attr(docsrs, doc(cfg(feature = "streams")))]
#[doc = include_str!("streams.md")]
pub mod streams {}

#[cfg(feature = "for-await")]
#[cfg_attr(docsrs, doc(cfg(feature = "for-await")))]
#[doc = include_str!("for_await.md")]
pub mod for_await {}

#[cfg(feature = "async-drop")]
#[cfg_attr(docsrs, doc(cfg(feature = "async-drop")))]
#[doc = include_str!("async_drop.md")]
pub mod async_drop {}

#[doc = include_str!("evolving.md")]
pub mod evolving {}

#[doc = include_str!("troubleshooting.md")]
pub mod troubleshooting {}

#[doc = include_str!("peers.md")]
pub mod peers {}

#[doc = include_str!("soundness.md")]
pub mod soundness {}
