//! Placing generated tokens at the user's code, so rustc's errors about them land there.

use proc_macro2::{Group, Span, TokenStream, TokenTree};

/// `tokens` with every token located at `span` (each keeps how it resolves), so an expression
/// built from them is reported at `span`, not at the attribute.
pub(crate) fn located_at(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|tree| match tree {
            TokenTree::Group(group) => {
                let mut moved = Group::new(group.delimiter(), located_at(group.stream(), span));
                moved.set_span(group.span().located_at(span));
                TokenTree::Group(moved)
            }
            mut other => {
                other.set_span(other.span().located_at(span));
                other
            }
        })
        .collect()
}
