//! `stream!` and `try_stream!`.
//!
//! Input:  `stream_inner!(($crate) [<ITEM>] STMTS…)`
//!         `try_stream_inner!(($crate) [<OK, ERROR>] STMTS…)`
//! Output: `$crate::__private::stream_new::<ITEM, _, _>(
//!              move |#[allow(unused_mut)] mut HIDDEN_YIELDER| async move { STMTS… })`
//!         (try: `try_stream_new::<OK, ERROR, _, _>(… async move {
//!              STMTS…; Ok(()) })`)
//!
//! Before parsing, a token pre-pass turns `for await PAT in` into `#[for_await] for PAT in`,
//! which the shared `for await` rewriter then handles like everywhere else.

use proc_macro2::{Delimiter, Group, Ident, Punct, Spacing, Span, TokenStream, TokenTree};
use quote::{ToTokens, quote, quote_spanned};
use syn::parse::{ParseStream, Parser};
use syn::{Token, Type};

use super::Flavor;
use super::body::{BodyRewriter, Form, allow_placeholders, yielder_ident};
use crate::common::crate_path::{CratePath, split_dollar_crate};
use crate::common::errors::Errors;
use crate::common::for_await;
use crate::common::walk::Pass;

/// The optional `<ITEM>` / `<OK, ERROR>` in front of the body.
struct TypeHeader {
    types: Vec<Type>,
    open: Span,
}

pub(crate) fn expand(input: TokenStream, flavor: Flavor) -> TokenStream {
    let (krate, tokens) = split_dollar_crate(input);
    let name = match flavor {
        Flavor::Plain => "`stream!`",
        Flavor::Try => "`try_stream!`",
    };
    let mut errors = Errors::default();
    let (header, tokens) = split_type_header(tokens);
    if let Some(header) = &header {
        errors.push_result(check_header(header, flavor));
    }
    let parsed = Parser::parse2(
        |input: ParseStream| syn::Block::parse_within(input),
        mark_for_await(tokens),
    );
    let mut stmts = errors.push_result(parsed).unwrap_or_default();
    // `try_stream!(<T, E> { BODY })`: the braces are only there to follow the header; unwrap
    // them (clippy would otherwise flag a rewritten `for await` at the end of that block).
    if let [syn::Stmt::Expr(syn::Expr::Block(inner), _)] = stmts.as_mut_slice() {
        if inner.attrs.is_empty() && inner.label.is_none() {
            stmts = std::mem::take(&mut inner.block.stmts);
        }
    }
    let mut block = syn::Block {
        brace_token: syn::token::Brace::default(),
        stmts,
    };
    errors.push_result(for_await::rewrite(&mut block, &krate));
    let declared_item = header
        .as_ref()
        .and_then(|header| header.types.first())
        .map(ToTokens::to_token_stream);
    let mut rewriter = BodyRewriter::new(flavor, Form::Macro, name, declared_item, krate.private());
    rewriter.visit_block_mut(&mut block);
    if flavor == Flavor::Try {
        super::body::terminate_tail(&mut block);
    }
    // A body that never yields yields `()`, as with async-stream (nothing else could infer it).
    let header = header.or_else(|| (rewriter.yields == 0).then(unit_header));
    errors.push_result(rewriter.errors.finish());
    match errors.finish() {
        Ok(()) => build(&krate, flavor, header.as_ref(), &block, false),
        Err(error) => {
            let error = error.to_compile_error();
            let fallback = build(&krate, flavor, header.as_ref(), &block, true);
            quote!({ #error #fallback })
        }
    }
}

/// `<()>`: the item type (the `Ok` type of `try_stream!`) of a body without a yield.
fn unit_header() -> TypeHeader {
    TypeHeader {
        types: vec![syn::parse_quote!(())],
        open: Span::call_site(),
    }
}

/// Splits a leading `<ITEM>` / `<OK, ERROR>` off the body. A body that starts with a
/// qualified path (`<T as Trait>::f();`) is left alone: there the `>` is followed by `::`.
fn split_type_header(tokens: TokenStream) -> (Option<TypeHeader>, TokenStream) {
    let starts_with_angle = matches!(
        tokens.clone().into_iter().next(),
        Some(TokenTree::Punct(punct)) if punct.as_char() == '<'
    );
    if !starts_with_angle {
        return (None, tokens);
    }
    let parser = |input: ParseStream| -> syn::Result<(TypeHeader, TokenStream)> {
        let open: Token![<] = input.parse()?;
        let types =
            syn::punctuated::Punctuated::<Type, Token![,]>::parse_separated_nonempty(input)?;
        if input.peek(Token![,]) {
            input.parse::<Token![,]>()?;
        }
        input.parse::<Token![>]>()?;
        if input.peek(Token![::]) {
            return Err(input.error("a qualified path, not a type header"));
        }
        let rest: TokenStream = input.parse()?;
        let header = TypeHeader {
            types: types.into_iter().collect(),
            open: open.span,
        };
        Ok((header, rest))
    };
    match Parser::parse2(parser, tokens.clone()) {
        Ok((header, rest)) => (Some(header), rest),
        Err(_) => (None, tokens),
    }
}

fn check_header(header: &TypeHeader, flavor: Flavor) -> syn::Result<()> {
    match (flavor, header.types.len()) {
        (Flavor::Plain, 1) | (Flavor::Try, 1 | 2) => Ok(()),
        (Flavor::Plain, _) => Err(syn::Error::new(
            header.open,
            "`stream!` takes one type in front of its body, the item type: \
             `stream!(<u32> { … })`",
        )),
        (Flavor::Try, _) => Err(syn::Error::new(
            header.open,
            "`try_stream!` takes at most two types in front of its body, the `Ok` and the \
             error type: `try_stream!(<u32, std::io::Error> { … })` (`_` lets one be inferred)",
        )),
    }
}

/// Turns `for await` into `#[for_await] for`, at every depth of the token tree.
fn mark_for_await(tokens: TokenStream) -> TokenStream {
    let mut out = Vec::new();
    let mut iter = tokens.into_iter().peekable();
    while let Some(tree) = iter.next() {
        match tree {
            TokenTree::Ident(ident) if ident == "for" => {
                let await_span = match iter.peek() {
                    Some(TokenTree::Ident(next)) if next == "await" => Some(next.span()),
                    _ => None,
                };
                if let Some(span) = await_span {
                    iter.next();
                    let mut pound = Punct::new('#', Spacing::Alone);
                    pound.set_span(span);
                    let marker = quote_spanned!(span=> for_await);
                    let mut bracket = Group::new(Delimiter::Bracket, marker);
                    bracket.set_span(span);
                    // The attribute goes in front of a loop label: `#[for_await] 'l: for`.
                    let at = label_start(&out).unwrap_or(out.len());
                    out.splice(at..at, [TokenTree::Punct(pound), TokenTree::Group(bracket)]);
                }
                out.push(TokenTree::Ident(ident));
            }
            TokenTree::Group(group) => {
                let mut rewritten = Group::new(group.delimiter(), mark_for_await(group.stream()));
                rewritten.set_span(group.span());
                out.push(TokenTree::Group(rewritten));
            }
            other => out.push(other),
        }
    }
    out.into_iter().collect()
}

fn build(
    krate: &CratePath,
    flavor: Flavor,
    header: Option<&TypeHeader>,
    block: &syn::Block,
    has_errors: bool,
) -> TokenStream {
    let private = krate.private();
    let yielder = yielder_ident();
    let stmts = &block.stmts;
    let allow = allow_placeholders(has_errors);
    let ty = |index: usize| -> TokenStream {
        header
            .and_then(|header| header.types.get(index))
            .map_or_else(|| quote!(_), |ty| quote!(#ty))
    };
    let end_ok = super::body::end_ok(&private);
    let (constructor, item, body) = match flavor {
        Flavor::Plain => {
            let item = ty(0);
            (
                quote!(#private::stream_new::<#item, _, _>),
                item,
                quote!(async move { #(#stmts)* }),
            )
        }
        Flavor::Try => {
            let (ok, error) = (ty(0), ty(1));
            (
                quote!(#private::try_stream_new::<#ok, #error, _, _>),
                quote!(#private::core::result::Result<#ok, #error>),
                quote!(async move {
                    #(#stmts)*
                    #end_ok
                }),
            )
        }
    };
    let stream = Ident::new("__async_ext_stream", Span::mixed_site());
    quote! {
        {
            #allow
            let #stream = #constructor(
                move |#[allow(unused_mut)] mut #yielder: #private::Yielder<#item>| #body
            );
            #stream
        }
    }
}

/// Where a loop label `'label:` ends `tokens`, the index of its `'`.
fn label_start(tokens: &[TokenTree]) -> Option<usize> {
    let [
        ..,
        TokenTree::Punct(quote),
        TokenTree::Ident(_),
        TokenTree::Punct(colon),
    ] = tokens
    else {
        return None;
    };
    (quote.as_char() == '\'' && colon.as_char() == ':').then(|| tokens.len() - 3)
}
