//! What generated code calls, and nothing else. Not public API: names here change without
//! notice. Generated code reaches every item as `$crate::__private::…` (or
//! `<crate = path>::__private::…`), so users need nothing in scope.

// `Box` comes from here so that `no_std` users need no `extern crate alloc` and a user type
// named `Box` cannot capture generated code.
pub use ::alloc::boxed::Box;
// `Pin`, for boxed futures and streams: the boxed generator forms' return type and the
// companion's erased `impl Future`/`impl Stream` returns.
pub use ::core::pin::Pin;

// `core`, for generated code to name `core::pin::pin!`, `Option`, `Result`…: a crate may shadow
// `::core` (`extern crate other as core;` at its root), but not a path through this crate.
pub use ::core;

// The function-like macros' implementations; the public macros are `macro_rules!` wrappers
// that pass `$crate`, so a renamed dependency keeps working.
#[cfg(feature = "closures")]
pub use async_ext_macros::async_closure_inner;
#[cfg(feature = "streams")]
pub use async_ext_macros::{stream_inner, try_stream_inner};

// `for await`: the one-error check that the looped expression is a stream, and the loop's
// next-item future.
#[cfg(feature = "for-await")]
pub use crate::for_await::{
    Checked, LoopStream, LoopStreamByMut, NeverApplies, Next, Unreachable, loop_stream,
    loop_stream_by_mut, next,
};

// Each extension's runtime items; every item is commented where it is defined.
#[cfg(feature = "async-drop")]
pub use crate::async_drop::private::*;
#[cfg(feature = "closures")]
pub use crate::closures::private::*;
#[cfg(feature = "streams")]
pub use crate::streams::private::*;
#[cfg(feature = "traits")]
pub use crate::traits::private::*;
