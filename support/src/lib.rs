//! # async-ext: tomorrow's async Rust on stable today
//!
//! Rust's async roadmap promises async fn in traits that work with `dyn`, async closures with
//! `Send` bounds, async generators, `for await` loops and async drop. async-ext delivers them
//! on stable Rust as macros over this small runtime crate, on any executor.
//!
//! | feature | stable form | chapter |
//! |---|---|---|
//! | dyn-compatible async fn in traits, `Send` futures | [`#[async_trait_ext]`](macro@async_trait_ext) | [`guide::traits`] |
//! | async closures, `AsyncFn*` with `Send` bounds | [`async_closure!`] | [`guide::closures`] |
//! | async generators | [`stream!`], [`try_stream!`], [`#[async_stream]`](macro@async_stream) | [`guide::streams`] |
//! | `for await` | [`#[for_await]`](macro@for_await) | [`guide::for_await`] |
//! | async drop | [`#[async_scope]`](macro@async_scope), `AsyncDrop` | [`guide::async_drop`] |
//!
//! The [`guide`] is the book: one chapter per extension, every example a doctest.
//!
//! ## Hygiene
//!
//! Generated code names the runtime by absolute paths (`::core::…`, `async_ext::__private`),
//! so user items named `Box`, `Option`, `core` or `std` change nothing, and hidden locals are
//! invisible to user code. Names beginning with `__async_ext` are reserved: an item with such
//! a name (a unit struct, say) can clash with the bindings of an expansion.
//!
//! ## Features
//!
//! * `std` (default): catching panics in `#[async_scope]` and the process-wide orphan hook.
//!   Without it the crate is `#![no_std]` and needs only `core` and `alloc`; async generators
//!   work either way.
//! * `tokio` (turns on `std`): `AsyncDrop` for tokio's writers, sockets, files and tasks.
//! * `futures-io` (turns on `std`): `AsyncDrop` for `futures::io::BufWriter`; `CloseOnAsyncDrop`.

#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod async_drop;
mod closures;
mod for_await;
mod streams;
mod traits;

#[doc(hidden)]
pub mod __private;

// Every Rust example of the README is a doctest, so the README cannot drift from the code.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeExamples;
pub mod guide;

/// The `Stream` trait of `futures-core` (what generators return and `for await` consumes),
/// re-exported so users need no extra dependency to name it.
pub use futures_core::Stream;

pub use async_drop::*;
pub use closures::*;
pub use streams::*;

/// Async fn in traits that work with `dyn` and promise `Send` futures.
///
/// See the [guide chapter](crate::guide::traits).
pub use async_ext_macros::async_trait_ext;

/// Rewrites the `#[for_await] for` loops inside the fn it is put on.
///
/// See the [guide chapter](crate::guide::for_await).
pub use async_ext_macros::for_await;

/// An `async fn` whose body yields items with `yield_!(expr)`: the fn returns a `Stream`.
///
/// See the [guide chapter](crate::guide::streams).
pub use async_ext_macros::async_stream;

/// An `async fn` whose body yields `Ok` items with `yield_!(expr)` and ends with an `Err`
/// item on `?`.
///
/// See the [guide chapter](crate::guide::streams).
pub use async_ext_macros::async_try_stream;

/// Awaits the clean-up of `#[async_drop]` values and `defer_async!` futures when the fn ends.
///
/// See the [guide chapter](crate::guide::async_drop).
pub use async_ext_macros::async_scope;

/// Derives `AsyncDrop`: the fields marked `#[async_drop]` are async-dropped in declaration
/// order, after an optional `#[async_drop(hook = path)]`.
///
/// See the [guide chapter](crate::guide::async_drop).
pub use async_ext_macros::AsyncDrop;
