//! `async_closure!`: lending async closures over a capture block.
//!
//! `parse` builds the model from the user's tokens (and reports malformed captures and
//! arguments), `places` rewrites captured names in the body, `holes` turns argument types into
//! types with lifetime holes, `expand` writes the call to the runtime's funnel.

mod expand;
mod holes;
mod parse;
mod places;

use proc_macro2::TokenStream;
use quote::quote;

use crate::common::crate_path::split_dollar_crate;
use crate::common::errors::error_with_fallback;

/// `async_closure_inner!(($crate) tokens…)`: the whole macro.
pub(crate) fn expand(input: TokenStream) -> TokenStream {
    let (krate, tokens) = split_dollar_crate(input);
    let private = krate.private();
    // On error, a closure value that implements every `AsyncFn*` trait for any arguments, so
    // code using the closure does not add errors of its own.
    let fallback = quote!(#private::ErrorClosure);
    let result = syn::parse2::<parse::ClosureInput>(tokens)
        .and_then(|closure| expand::expand(closure, &krate));
    match result {
        Ok(tokens) => tokens,
        Err(error) => {
            let out = error_with_fallback(&error, fallback);
            quote!({ #out })
        }
    }
}
