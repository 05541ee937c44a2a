//! Async drop: `#[async_scope]` and `#[derive(AsyncDrop)]`.

use proc_macro2::TokenStream;

use crate::common::crate_path::CratePath;

pub(crate) fn expand_scope(args: TokenStream, input: TokenStream) -> TokenStream {
    let _ = args;
    let error = syn::Error::new(
        proc_macro2::Span::call_site(),
        "`#[async_scope]` is not implemented yet",
    );
    crate::common::errors::error_with_fallback(&error, input)
}

/// Rewrites one `#[async_scope]` async fn in place; the fn stays `async fn`, its body now
/// awaits the clean-up of its `#[async_drop]` values and `defer_async!` futures.
///
/// Used by `#[async_scope]` itself and by `#[async_trait_ext]`, which expands first and so
/// must apply the scope to a method marked `#[async_scope]` before it boxes the body (it
/// removes the `#[async_scope]` attribute and calls this).
pub(crate) fn rewrite_scope_fn(
    sig: &mut syn::Signature,
    block: &mut syn::Block,
    krate: &CratePath,
) -> syn::Result<()> {
    let _ = (block, krate);
    Err(syn::Error::new_spanned(
        &sig.ident,
        "`#[async_scope]` is not implemented yet",
    ))
}

pub(crate) fn expand_derive(input: TokenStream) -> TokenStream {
    let _ = input;
    syn::Error::new(
        proc_macro2::Span::call_site(),
        "`#[derive(AsyncDrop)]` is not implemented yet",
    )
    .to_compile_error()
}
