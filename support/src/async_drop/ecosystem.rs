//! `AsyncDrop` for the types of other crates, behind optional features.
//!
//! The orphan rule forbids `impl AsyncDrop for tokio::io::BufWriter<W>` anywhere but in this
//! crate or tokio, and a newtype of the user's would hide every method of the type. So the
//! impls live here, one file per crate, each compiled only when its feature is on: the
//! default build depends on no runtime.
//!
//! Each type gets both traits with one body: its `async_drop_send` returns `self.async_drop()`,
//! whose future is `Send` whenever the type is. `#[async_scope]` picks `async_drop_send` for a
//! concrete `Send` type and `async_drop` in generic code, so the two must not differ.
//!
//! Every clean-up here ignores I/O errors, as `Drop` does: an `async_drop` has no caller to
//! return them to. Code that must see the error awaits the same call in the body, after
//! which the clean-up finds nothing left to do.

#[cfg(feature = "futures-io")]
mod futures_io;
#[cfg(feature = "tokio")]
mod tokio;

#[cfg(feature = "futures-io")]
pub use futures_io::CloseOnAsyncDrop;
