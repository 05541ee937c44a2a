//! Async generators: `stream!`, `try_stream!`, `#[async_stream]`, `#[async_try_stream]`.

use proc_macro2::TokenStream;

/// Whether `?` in the body ends the stream with an `Err` item.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    Plain,
    Try,
}

pub(crate) fn expand_stream_macro(input: TokenStream, flavor: Flavor) -> TokenStream {
    let _ = (input, flavor);
    syn::Error::new(
        proc_macro2::Span::call_site(),
        "`stream!` is not implemented yet",
    )
    .to_compile_error()
}

pub(crate) fn expand_stream_fn(
    args: TokenStream,
    input: TokenStream,
    flavor: Flavor,
) -> TokenStream {
    let _ = (args, flavor);
    let error = syn::Error::new(
        proc_macro2::Span::call_site(),
        "`#[async_stream]` is not implemented yet",
    );
    crate::common::errors::error_with_fallback(&error, input)
}
