//! The path generated code uses to reach the runtime crate.
//!
//! Attribute macros default to `::async_ext` and accept `crate = path` for renamed
//! dependencies; function-like macros are `macro_rules!` wrappers in the support crate that
//! put `($crate)` in front of the user's tokens, so renaming always works for them.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::{ToTokens, quote};

/// A path to the support crate, as the user (or `$crate`) spelled it.
#[derive(Clone)]
pub(crate) struct CratePath(TokenStream);

impl CratePath {
    pub(crate) fn from_tokens(tokens: TokenStream) -> Self {
        CratePath(tokens)
    }

    /// `PATH::__private`: the one module generated code calls into.
    pub(crate) fn private(&self) -> TokenStream {
        let path = &self.0;
        quote!(#path::__private)
    }
}

impl Default for CratePath {
    fn default() -> Self {
        CratePath(quote!(::async_ext))
    }
}

impl ToTokens for CratePath {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        self.0.to_tokens(tokens);
    }
}

/// Splits `($crate) rest…` as handed over by a `macro_rules!` wrapper. Tokens without that
/// prefix (someone invoking the hidden macro directly) fall back to `::async_ext`.
pub(crate) fn split_dollar_crate(input: TokenStream) -> (CratePath, TokenStream) {
    let mut iter = input.clone().into_iter();
    if let Some(TokenTree::Group(group)) = iter.next() {
        if group.delimiter() == Delimiter::Parenthesis && !group.stream().is_empty() {
            return (CratePath::from_tokens(group.stream()), iter.collect());
        }
    }
    (CratePath::default(), input)
}
