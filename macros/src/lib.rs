//! Procedural macros of [async-ext](https://docs.rs/async-ext). Users depend on `async-ext`,
//! which re-exports every macro here; this crate is never named directly.
//!
//! The full documentation of each macro lives here, on its definition (in `src/docs/`), and
//! not on the re-export: rustdoc shows it under `async_ext::…` either way, but editors show the
//! definition's docs on hover. Its examples run as this crate's doctests.
//!
//! Each entry point is a thin wrapper: the logic lives in a function over
//! `proc_macro2::TokenStream` (parse -> validate -> expand, errors turned into
//! `compile_error!` at the user's token), so the never-panic property test can call it.

#![forbid(unsafe_code)]

mod async_drop;
mod closures;
mod common;
#[cfg(test)]
mod never_panic;
mod streams;
mod traits;

use proc_macro::TokenStream;

#[doc = include_str!("docs/async_trait_ext.md")]
#[proc_macro_attribute]
pub fn async_trait_ext(args: TokenStream, input: TokenStream) -> TokenStream {
    traits::expand(args.into(), input.into()).into()
}

/// Called by `async_ext::async_closure!` with `($crate)` in front.
#[proc_macro]
pub fn async_closure_inner(input: TokenStream) -> TokenStream {
    closures::expand(input.into()).into()
}

/// Called by `async_ext::stream!` with `($crate)` in front.
#[proc_macro]
pub fn stream_inner(input: TokenStream) -> TokenStream {
    streams::expand_stream_macro(input.into(), streams::Flavor::Plain).into()
}

/// Called by `async_ext::try_stream!` with `($crate)` in front.
#[proc_macro]
pub fn try_stream_inner(input: TokenStream) -> TokenStream {
    streams::expand_stream_macro(input.into(), streams::Flavor::Try).into()
}

#[doc = include_str!("docs/async_stream.md")]
#[proc_macro_attribute]
pub fn async_stream(args: TokenStream, input: TokenStream) -> TokenStream {
    streams::expand_stream_fn(args.into(), input.into(), streams::Flavor::Plain).into()
}

#[doc = include_str!("docs/async_try_stream.md")]
#[proc_macro_attribute]
pub fn async_try_stream(args: TokenStream, input: TokenStream) -> TokenStream {
    streams::expand_stream_fn(args.into(), input.into(), streams::Flavor::Try).into()
}

#[doc = include_str!("docs/for_await.md")]
#[proc_macro_attribute]
pub fn for_await(args: TokenStream, input: TokenStream) -> TokenStream {
    common::for_await::expand_attribute(args.into(), input.into()).into()
}

#[doc = include_str!("docs/async_scope.md")]
#[proc_macro_attribute]
pub fn async_scope(args: TokenStream, input: TokenStream) -> TokenStream {
    async_drop::expand_scope(args.into(), input.into()).into()
}

#[doc = include_str!("docs/derive_async_drop.md")]
#[proc_macro_derive(AsyncDrop, attributes(async_drop))]
pub fn derive_async_drop(input: TokenStream) -> TokenStream {
    async_drop::expand_derive(input.into()).into()
}
