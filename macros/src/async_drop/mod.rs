//! Async drop: `#[async_scope]` and `#[derive(AsyncDrop)]`.

use proc_macro2::TokenStream;

pub(crate) fn expand_scope(args: TokenStream, input: TokenStream) -> TokenStream {
    let _ = args;
    let error = syn::Error::new(
        proc_macro2::Span::call_site(),
        "`#[async_scope]` is not implemented yet",
    );
    crate::common::errors::error_with_fallback(&error, input)
}

pub(crate) fn expand_derive(input: TokenStream) -> TokenStream {
    let _ = input;
    syn::Error::new(
        proc_macro2::Span::call_site(),
        "`#[derive(AsyncDrop)]` is not implemented yet",
    )
    .to_compile_error()
}
