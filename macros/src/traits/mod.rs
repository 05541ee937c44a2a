//! `#[async_trait_ext]`: async fn in traits, boxed (async-trait compatible) or native.

use proc_macro2::TokenStream;

pub(crate) fn expand(args: TokenStream, input: TokenStream) -> TokenStream {
    let _ = args;
    let error = syn::Error::new(
        proc_macro2::Span::call_site(),
        "`#[async_trait_ext]` is not implemented yet",
    );
    crate::common::errors::error_with_fallback(&error, input)
}
