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
    let input: proc_macro2::TokenStream = input.into();
    let expansion = traits::expand(args.into(), input.clone());
    checked_runtime_path(input, expansion, "async_trait_ext", Output::Item)
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
    let input: proc_macro2::TokenStream = input.into();
    let expansion = streams::expand_stream_fn(args.into(), input.clone(), streams::Flavor::Plain);
    checked_runtime_path(input, expansion, "async_stream", Output::Item)
}

#[doc = include_str!("docs/async_try_stream.md")]
#[cfg(feature = "streams")]
#[proc_macro_attribute]
pub fn async_try_stream(args: TokenStream, input: TokenStream) -> TokenStream {
    let input: proc_macro2::TokenStream = input.into();
    let expansion = streams::expand_stream_fn(args.into(), input.clone(), streams::Flavor::Try);
    checked_runtime_path(input, expansion, "async_try_stream", Output::Item)
}

#[doc = include_str!("docs/for_await.md")]
#[cfg(feature = "for-await")]
#[proc_macro_attribute]
pub fn for_await(args: TokenStream, input: TokenStream) -> TokenStream {
    let input: proc_macro2::TokenStream = input.into();
    let expansion = common::for_await::expand_attribute(args.into(), input.clone());
    checked_runtime_path(input, expansion, "for_await", Output::Item)
}

#[doc = include_str!("docs/async_scope.md")]
#[cfg(feature = "async-drop")]
#[proc_macro_attribute]
pub fn async_scope(args: TokenStream, input: TokenStream) -> TokenStream {
    let input: proc_macro2::TokenStream = input.into();
    let expansion = async_drop::expand_scope(args.into(), input.clone());
    checked_runtime_path(input, expansion, "async_scope", Output::Item)
}

#[doc = include_str!("docs/derive_async_drop.md")]
#[cfg(feature = "async-drop")]
#[proc_macro_derive(AsyncDrop, attributes(async_drop))]
pub fn derive_async_drop(input: TokenStream) -> TokenStream {
    let input: proc_macro2::TokenStream = input.into();
    let expansion = async_drop::expand_derive(input.clone());
    checked_runtime_path(input, expansion, "async_drop", Output::Derive)
}

/// What a macro's output stands for: the item it was put on (an attribute), or code added
/// after it (a derive).
enum Output {
    Item,
    Derive,
}

/// The expansion, or, when it names `::async_ext` and that path cannot resolve in the calling
/// crate (its manifest does not depend on async-ext: the macro came through a crate that
/// re-exports it), one error saying to write `crate = …` in the options of `attribute`. With
/// the error goes the item without our attributes (nothing for a derive), so the mistake gives
/// that one error and not rustc's "cannot find `async_ext`" for each generated path.
fn checked_runtime_path(
    input: proc_macro2::TokenStream,
    expansion: proc_macro2::TokenStream,
    attribute: &str,
    output: Output,
) -> TokenStream {
    use common::crate_path::{unreachable_runtime_error, without_expansion};
    match unreachable_runtime_error(&input, &expansion, attribute) {
        Some(error) => {
            let mut tokens = error.to_compile_error();
            if let Output::Item = output {
                tokens.extend(without_expansion(input));
            }
            tokens.into()
        }
        None => expansion.into(),
    }
}
