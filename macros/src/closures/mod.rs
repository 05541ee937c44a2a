//! `async_closure!`: lending async closures over a capture block.

use proc_macro2::TokenStream;

pub(crate) fn expand(input: TokenStream) -> TokenStream {
    let _ = input;
    syn::Error::new(
        proc_macro2::Span::call_site(),
        "`async_closure!` is not implemented yet",
    )
    .to_compile_error()
}
