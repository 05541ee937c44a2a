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
mod expansion_snapshots;
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

#[doc = include_str!("docs/async_trait_ext.md")]
#[cfg(feature = "traits")]
#[proc_macro_attribute]
pub fn async_trait_ext(args: TokenStream, input: TokenStream) -> TokenStream {
    let args: proc_macro2::TokenStream = args.into();
    let expansion = traits::expand(args.clone(), input.into());
    checked_runtime_path(&args, "async_trait_ext", expansion)
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

#[doc = include_str!("docs/async_stream.md")]
#[cfg(feature = "streams")]
#[proc_macro_attribute]
pub fn async_stream(args: TokenStream, input: TokenStream) -> TokenStream {
    let args: proc_macro2::TokenStream = args.into();
    let expansion = streams::expand_stream_fn(args.clone(), input.into(), streams::Flavor::Plain);
    checked_runtime_path(&args, "async_stream", expansion)
}

#[doc = include_str!("docs/async_try_stream.md")]
#[cfg(feature = "streams")]
#[proc_macro_attribute]
pub fn async_try_stream(args: TokenStream, input: TokenStream) -> TokenStream {
    let args: proc_macro2::TokenStream = args.into();
    let expansion = streams::expand_stream_fn(args.clone(), input.into(), streams::Flavor::Try);
    checked_runtime_path(&args, "async_try_stream", expansion)
}

#[doc = include_str!("docs/for_await.md")]
#[cfg(feature = "for-await")]
#[proc_macro_attribute]
pub fn for_await(args: TokenStream, input: TokenStream) -> TokenStream {
    let args: proc_macro2::TokenStream = args.into();
    let expansion = common::for_await::expand_attribute(args.clone(), input.into());
    checked_runtime_path(&args, "for_await", expansion)
}

#[doc = include_str!("docs/async_scope.md")]
#[cfg(feature = "async-drop")]
#[proc_macro_attribute]
pub fn async_scope(args: TokenStream, input: TokenStream) -> TokenStream {
    let args: proc_macro2::TokenStream = args.into();
    let expansion = async_drop::expand_scope(args.clone(), input.into());
    checked_runtime_path(&args, "async_scope", expansion)
}

#[doc = include_str!("docs/derive_async_drop.md")]
#[cfg(feature = "async-drop")]
#[proc_macro_derive(AsyncDrop, attributes(async_drop))]
pub fn derive_async_drop(input: TokenStream) -> TokenStream {
    let input: proc_macro2::TokenStream = input.into();
    let expansion = async_drop::expand_derive(input.clone());
    checked_runtime_path(&input, "async_drop", expansion)
}

/// The expansion, preceded by an error naming `crate = …` when it reaches the runtime as
/// `::async_ext` in a crate whose manifest does not depend on async-ext (the macro came through
/// a crate that re-exports it); rustc's own errors for the paths follow, but this one comes
/// first and says what to write. `given` is where a `crate = …` would be, in the options of
/// `attribute`.
fn checked_runtime_path(
    given: &proc_macro2::TokenStream,
    attribute: &str,
    expansion: proc_macro2::TokenStream,
) -> TokenStream {
    match common::crate_path::unreachable_runtime_error(given, attribute) {
        Some(error) => {
            let mut output = error.to_compile_error();
            output.extend(expansion);
            output.into()
        }
        None => expansion.into(),
    }
}
