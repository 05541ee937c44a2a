//! `#[derive(AsyncDrop)]` (placeholder while the scope lands).

use proc_macro2::TokenStream;

pub(super) fn expand(input: TokenStream) -> TokenStream {
    let _ = input;
    syn::Error::new(
        proc_macro2::Span::call_site(),
        "`#[derive(AsyncDrop)]` is not implemented yet",
    )
    .to_compile_error()
}
