//! Rewriting code inside the input of other macros' calls (`vec![…]`, `join!(…)`,
//! `tokio::select! { … }`, `defer_async!(…)`), which syn leaves as opaque tokens.
//!
//! Input:  `tokio::select! { v = rx => { yield v; } }` (any macro input, any shape)
//! Output: the same tokens, except that each expression starting at a token the visitor
//!         cares about (`yield`, `#[for_await]`, `async {`) is parsed, visited and printed back
//!
//! Only the expression that starts at such a token is parsed (the rest of a macro's input need
//! not be Rust syntax at all), so the visitor sees the same nodes as in plain code, with its
//! own rules for nesting. Groups are entered; the calls the visitor skips (a nested `stream!`
//! owns its own `yield`s) are copied untouched. Input with no start token is not rebuilt.

use proc_macro2::{Group, Ident, TokenStream, TokenTree};
use quote::ToTokens;
use syn::parse::{Parse, ParseStream, Parser};

use super::walk::Pass;

/// A visitor that also rewrites what it finds inside other macros' input.
pub(crate) trait MacroInputVisitor: Pass {
    /// Whether an expression the visitor rewrites starts at `token` (followed by `next`).
    fn starts_expr(&self, token: &TokenTree, next: Option<&TokenTree>) -> bool;

    /// Whether the input of a call of the macro named `name` is visited.
    fn enters_macro(&self, name: &Ident) -> bool;
}

/// Visits the input of `mac` (if the visitor enters that macro).
pub(crate) fn visit_macro(visitor: &mut dyn MacroInputVisitor, mac: &mut syn::Macro) {
    let Some(name) = mac.path.segments.last().map(|segment| &segment.ident) else {
        return;
    };
    if visitor.enters_macro(name) {
        visit_tokens(visitor, &mut mac.tokens);
    }
}

/// Visits `tokens` in place; leaves them as they are when nothing starts in them.
pub(crate) fn visit_tokens(visitor: &mut dyn MacroInputVisitor, tokens: &mut TokenStream) {
    if let Some(rewritten) = rewrite_tokens(visitor, tokens.clone()) {
        *tokens = rewritten;
    }
}

/// The rewritten tokens, or `None` if nothing in them was visited.
fn rewrite_tokens(visitor: &mut dyn MacroInputVisitor, tokens: TokenStream) -> Option<TokenStream> {
    let mut rest: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = TokenStream::new();
    let mut modified = false;
    let mut index = 0;
    while index < rest.len() {
        let token = &rest[index];
        if visitor.starts_expr(token, rest.get(index + 1)) {
            let tail: TokenStream = rest[index..].iter().cloned().collect();
            if let Ok(Partial(mut expr, after)) = Parser::parse2(Partial::parse, tail) {
                visitor.visit_expr_mut(&mut expr);
                expr.to_tokens(&mut out);
                modified = true;
                rest = after.into_iter().collect();
                index = 0;
                continue;
            }
        }
        match token {
            TokenTree::Ident(name) if is_call_of_skipped(visitor, name, &rest[index + 1..]) => {
                // `name ! (…)`: copied as it is.
                out.extend(rest[index..index + 3].iter().cloned());
                index += 3;
                continue;
            }
            TokenTree::Group(group) => {
                if let Some(stream) = rewrite_tokens(visitor, group.stream()) {
                    let mut new = Group::new(group.delimiter(), stream);
                    new.set_span(group.span());
                    out.extend([TokenTree::Group(new)]);
                    modified = true;
                } else {
                    out.extend([token.clone()]);
                }
            }
            other => out.extend([other.clone()]),
        }
        index += 1;
    }
    modified.then_some(out)
}

/// `name` followed by `!` and a group, where the visitor does not enter `name`'s input.
fn is_call_of_skipped(visitor: &dyn MacroInputVisitor, name: &Ident, after: &[TokenTree]) -> bool {
    matches!(
        after,
        [TokenTree::Punct(bang), TokenTree::Group(_), ..] if bang.as_char() == '!'
    ) && !visitor.enters_macro(name)
}

/// One expression, and the tokens after it.
struct Partial(syn::Expr, TokenStream);

impl Parse for Partial {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        Ok(Partial(input.parse()?, input.parse()?))
    }
}

/// `ident` is the `for_await` of a `#[for_await]` attribute's brackets.
pub(crate) fn is_attribute_named(token: &TokenTree, next: Option<&TokenTree>, name: &str) -> bool {
    let (TokenTree::Punct(pound), Some(TokenTree::Group(brackets))) = (token, next) else {
        return false;
    };
    pound.as_char() == '#'
        && brackets.delimiter() == proc_macro2::Delimiter::Bracket
        && brackets.stream().to_string() == name
}

/// `async {` or `async move {`: an async block.
pub(crate) fn is_async_block(token: &TokenTree, next: Option<&TokenTree>) -> bool {
    matches!(token, TokenTree::Ident(ident) if ident == "async")
        && match next {
            Some(TokenTree::Ident(ident)) => ident == "move",
            Some(TokenTree::Group(group)) => group.delimiter() == proc_macro2::Delimiter::Brace,
            _ => false,
        }
}
