//! Placing generated tokens at the user's code, so rustc's errors about them land there.

use proc_macro2::{Group, Span, TokenStream, TokenTree};

/// `tokens` with every token located at `span` (each keeps how it resolves: a `$crate` must
/// still resolve), so an expression built from them is reported at `span`, not at the
/// attribute.
pub(crate) fn located_at(tokens: TokenStream, span: Span) -> TokenStream {
    // A loop, not `map(…).collect()`: each closure would compile its own copy of
    // proc_macro2's collecting code.
    let mut out = TokenStream::new();
    for mut tree in tokens {
        if let TokenTree::Group(group) = &tree {
            let mut moved = Group::new(group.delimiter(), located_at(group.stream(), span));
            moved.set_span(group.span().located_at(span));
            tree = TokenTree::Group(moved);
        } else {
            tree.set_span(tree.span().located_at(span));
        }
        out.extend([tree]);
    }
    out
}
