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
//! The [`guide`] is the book: one chapter per extension, every example a doctest; then
//! [`guide::evolving`] (changing a public trait, and what downstream sees) and
//! [`guide::troubleshooting`] (the errors rustc reports, and the fix for each).
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
//! * One per extension, all on by default: `traits` (`#[async_trait_ext]`), `closures`
//!   (`async_closure!` and the `AsyncFn*` traits), `streams` (`stream!`, `try_stream!`,
//!   `#[async_stream]`, `#[async_try_stream]`), `async-drop` (`AsyncDrop`, `#[async_scope]`,
//!   `defer_async!`) and `for-await` (`#[for_await]`, which each of the others turns on). With
//!   `default-features = false`, a crate that names only the extensions it uses compiles only
//!   their macros and runtime.
//! * `std` (default): catching panics in `#[async_scope]` and the process-wide orphan hook.
//!   Without it the crate is `#![no_std]` and needs only `core` and `alloc`; async generators
//!   work either way.
//! * `tokio` (turns on `std` and `async-drop`): `AsyncDrop` for tokio's writers, sockets, files
//!   and tasks.
//! * `futures-io` (turns on `std` and `async-drop`): `AsyncDrop` for `futures::io::BufWriter`;
//!   `CloseOnAsyncDrop`.

#![no_std]
#![forbid(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

// Every public item lives at the crate root (`async_ext::AsyncDrop`, `async_ext::Orphan`): the
// modules that define them stay private, so the only path rustc can suggest in an import is
// the root one (`ui-tests/tests/ui/async_drop/trait_method_without_import.rs` checks it).
// One Cargo feature per extension (see the README, "Features").
#[cfg(feature = "async-drop")]
mod async_drop;
#[cfg(feature = "closures")]
mod closures;
#[cfg(feature = "for-await")]
mod for_await;
// The inline future storage serves the trait companion and the dyn closure forms.
#[cfg(any(feature = "traits", feature = "closures"))]
mod inline_future;
#[cfg(feature = "streams")]
mod streams;
#[cfg(feature = "traits")]
mod traits;

#[doc(hidden)]
pub mod __private;

// Every Rust example of the README is a doctest, so the README cannot drift from the code.
#[cfg(all(
    doctest,
    feature = "traits",
    feature = "closures",
    feature = "streams",
    feature = "async-drop"
))]
#[doc = include_str!("../../README.md")]
struct ReadmeExamples;
pub mod guide;

/// The `Stream` trait of `futures-core` (what generators return and `for await` consumes),
/// re-exported so users need no extra dependency to name it.
pub use futures_core::Stream;

#[cfg(feature = "async-drop")]
#[cfg_attr(docsrs, doc(cfg(feature = "async-drop")))]
pub use async_drop::*;
#[cfg(feature = "closures")]
#[cfg_attr(docsrs, doc(cfg(feature = "closures")))]
pub use closures::*;
#[cfg(any(feature = "traits", feature = "closures"))]
#[cfg_attr(docsrs, doc(cfg(any(feature = "traits", feature = "closures"))))]
pub use inline_future::{InlineFuture, SendInlineFuture};
#[cfg(feature = "streams")]
#[cfg_attr(docsrs, doc(cfg(feature = "streams")))]
pub use streams::*;

// The attribute and derive macros carry their full pages (syntax, options, example, guide
// chapter) on their definitions in `async-ext-macros`: rustdoc inlines those pages here, and
// editors show only a definition's docs on hover, never a re-export's. So the re-exports
// below add no doc comment of their own.
#[cfg(feature = "async-drop")]
#[cfg_attr(docsrs, doc(cfg(feature = "async-drop")))]
pub use async_ext_macros::AsyncDrop;
#[cfg(feature = "async-drop")]
#[cfg_attr(docsrs, doc(cfg(feature = "async-drop")))]
pub use async_ext_macros::async_scope;
#[cfg(feature = "streams")]
#[cfg_attr(docsrs, doc(cfg(feature = "streams")))]
pub use async_ext_macros::async_stream;
#[cfg(feature = "traits")]
#[cfg_attr(docsrs, doc(cfg(feature = "traits")))]
pub use async_ext_macros::async_trait_ext;
#[cfg(feature = "streams")]
#[cfg_attr(docsrs, doc(cfg(feature = "streams")))]
pub use async_ext_macros::async_try_stream;
#[cfg(feature = "for-await")]
#[cfg_attr(docsrs, doc(cfg(feature = "for-await")))]
pub use async_ext_macros::for_await;
