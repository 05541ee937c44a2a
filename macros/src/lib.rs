//! Procedural macros of [async-ext](https://docs.rs/async-ext). Users depend on `async-ext`,
//! which re-exports every macro here; this crate is never named directly.
//!
//! Each entry point is a thin wrapper: the logic lives in a function over
//! `proc_macro2::TokenStream` (parse -> validate -> expand, errors turned into
//! `compile_error!` at the user's token), so the never-panic property test can call it.
//!
//! One Cargo feature per extension gates its module and entry points, so a build compiles
//! only the expanders it uses (`async-ext` turns them on; see its README, "Features").

#![forbid(unsafe_code)]
// With some extensions left out, a helper of `common` may serve none of those left in.
#![cfg_attr(
    not(all(
        feature = "traits",
        feature = "closures",
        feature = "streams",
        feature = "async-drop"
    )),
    allow(dead_code, unused_imports)
)]

#[cfg(feature = "async-drop")]
mod async_drop;
#[cfg(feature = "closures")]
mod closures;
mod common;
#[cfg(all(
    test,
    feature = "traits",
    feature = "closures",
    feature = "streams",
    feature = "async-drop"
))]
mod never_panic;
#[cfg(feature = "streams")]
mod streams;
#[cfg(feature = "traits")]
mod traits;

use proc_macro::TokenStream;

/// See `async_ext::async_trait_ext`.
#[cfg(feature = "traits")]
#[proc_macro_attribute]
pub fn async_trait_ext(args: TokenStream, input: TokenStream) -> TokenStream {
    traits::expand(args.into(), input.into()).into()
}

/// Called by `async_ext::async_closure!` with `($crate)` in front.
#[cfg(feature = "closures")]
#[proc_macro]
pub fn async_closure_inner(input: TokenStream) -> TokenStream {
    closures::expand(input.into()).into()
}

/// Called by `async_ext::stream!` with `($crate)` in front.
#[cfg(feature = "streams")]
#[proc_macro]
pub fn stream_inner(input: TokenStream) -> TokenStream {
    streams::expand_stream_macro(input.into(), streams::Flavor::Plain).into()
}

/// Called by `async_ext::try_stream!` with `($crate)` in front.
#[cfg(feature = "streams")]
#[proc_macro]
pub fn try_stream_inner(input: TokenStream) -> TokenStream {
    streams::expand_stream_macro(input.into(), streams::Flavor::Try).into()
}

/// See `async_ext::async_stream`.
#[cfg(feature = "streams")]
#[proc_macro_attribute]
pub fn async_stream(args: TokenStream, input: TokenStream) -> TokenStream {
    streams::expand_stream_fn(args.into(), input.into(), streams::Flavor::Plain).into()
}

/// See `async_ext::async_try_stream`.
#[cfg(feature = "streams")]
#[proc_macro_attribute]
pub fn async_try_stream(args: TokenStream, input: TokenStream) -> TokenStream {
    streams::expand_stream_fn(args.into(), input.into(), streams::Flavor::Try).into()
}

/// See `async_ext::for_await`.
#[cfg(feature = "for-await")]
#[proc_macro_attribute]
pub fn for_await(args: TokenStream, input: TokenStream) -> TokenStream {
    common::for_await::expand_attribute(args.into(), input.into()).into()
}

/// See `async_ext::async_scope`.
#[cfg(feature = "async-drop")]
#[proc_macro_attribute]
pub fn async_scope(args: TokenStream, input: TokenStream) -> TokenStream {
    async_drop::expand_scope(args.into(), input.into()).into()
}

/// See `async_ext::AsyncDrop`.
#[cfg(feature = "async-drop")]
#[proc_macro_derive(AsyncDrop, attributes(async_drop))]
pub fn derive_async_drop(input: TokenStream) -> TokenStream {
    async_drop::expand_derive(input.into()).into()
}
