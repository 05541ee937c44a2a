//! Async drop: `#[async_scope]` (with `#[async_drop]` bindings, `defer_async!` and `disarm!`
//! inside it) and `#[derive(AsyncDrop)]`.
//!
//! * `scope.rs`: the body rewrite, shared by `#[async_scope]` and `#[async_trait_ext]`
//!   ([`rewrite_scope_fn`]);
//! * `markers.rs`: the visitor that finds the markers in a body and rewrites them in place;
//! * `derive.rs`: `#[derive(AsyncDrop)]`.

mod derive;
mod markers;
mod scope;

use proc_macro2::TokenStream;

use crate::common::crate_path::CratePath;

/// `#[async_scope]` on an `async fn`.
pub(crate) fn expand_scope(args: TokenStream, input: TokenStream) -> TokenStream {
    scope::expand(args, input)
}

/// Rewrites one `#[async_scope]` async fn in place; the fn stays `async fn`, its body now
/// awaits the clean-up of its `#[async_drop]` values and `defer_async!` futures.
///
/// Used by `#[async_scope]` itself and by `#[async_trait_ext]`, which expands first and so
/// must apply the scope to a method marked `#[async_scope]` before it boxes the body (it
/// removes the `#[async_scope]` attribute and calls this).
///
/// On error the fn is still left compilable as far as possible (markers removed, the macros
/// replaced), so that the caller can emit it next to the error and one mistake gives one
/// error.
pub(crate) fn rewrite_scope_fn(
    sig: &mut syn::Signature,
    block: &mut syn::Block,
    krate: &CratePath,
) -> syn::Result<()> {
    scope::rewrite(sig, block, krate)
}

/// `#[derive(AsyncDrop)]`.
pub(crate) fn expand_derive(input: TokenStream) -> TokenStream {
    derive::expand(input)
}
