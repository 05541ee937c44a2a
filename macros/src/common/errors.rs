//! Turning errors into output that gives the user one clear error, not a cascade.

use proc_macro2::TokenStream;
use quote::ToTokens;

/// The error as `compile_error!` tokens, followed by `fallback` (usually the user's item as
/// written, with our inert attributes stripped), so that one mistake gives one error and the
/// rest of the crate still type-checks against the item.
pub(crate) fn error_with_fallback(error: &syn::Error, fallback: impl ToTokens) -> TokenStream {
    let mut out = error.to_compile_error();
    fallback.to_tokens(&mut out);
    out
}

/// Collects several errors so they are reported together (`syn::Error::combine`).
#[derive(Default)]
pub(crate) struct Errors {
    first: Option<syn::Error>,
}

impl Errors {
    pub(crate) fn push(&mut self, error: syn::Error) {
        match &mut self.first {
            Some(first) => first.combine(error),
            None => self.first = Some(error),
        }
    }

    pub(crate) fn push_result<T>(&mut self, result: syn::Result<T>) -> Option<T> {
        result.map_err(|error| self.push(error)).ok()
    }

    /// `Err` with every collected error, or `Ok(())` when there were none.
    pub(crate) fn finish(self) -> syn::Result<()> {
        self.first.map_or(Ok(()), Err)
    }
}
