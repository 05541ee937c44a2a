//! Async generators: `stream!`, `try_stream!`, `#[async_stream]`, `#[async_try_stream]`.
//!
//! `macro_form` handles the function-like macros, `attribute` the attribute forms; both
//! rewrite the body with `body::BodyRewriter` after the shared `for await` rewriter ran, and
//! build the stream with `__private::stream_new` / `try_stream_new` (runtime:
//! `support/src/streams/generator.rs`).

mod attribute;
mod body;
mod lifetimes;
mod macro_form;

use proc_macro2::TokenStream;

/// Whether `?` in the body ends the stream with an `Err` item.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    Plain,
    Try,
}

/// `stream_inner!(($crate) BODY)` / `try_stream_inner!(($crate) BODY)`.
pub(crate) fn expand_stream_macro(input: TokenStream, flavor: Flavor) -> TokenStream {
    macro_form::expand(input, flavor)
}

/// `#[async_stream(…)]` / `#[async_try_stream(…)]` on an `async fn`.
pub(crate) fn expand_stream_fn(
    args: TokenStream,
    input: TokenStream,
    flavor: Flavor,
) -> TokenStream {
    attribute::expand(args, input, flavor)
}
