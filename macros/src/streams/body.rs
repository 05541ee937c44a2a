//! The generator body rewrite shared by `stream!`, `try_stream!` and the attribute forms.
//!
//! Input:  `yield EXPR` (macro form) or `yield_!(EXPR)` (both forms) in the body's own scope
//! Output: `HIDDEN_YIELDER.yield_item(EXPR).await` (`yield_ok` in the try flavour)
//!
//! The visitor knows whether it is inside a closure, an async block or a nested item: a
//! yield there cannot reach the generator and is reported at its token. In `stream!`, a `?`
//! of the body's own scope is reported too (suggesting `try_stream!`); in the try flavour it
//! stays native, and a bare `return;` becomes `return Ok(())` so it still just ends the body.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Expr, Ident, Stmt};

use super::Flavor;
use crate::common::errors::Errors;
use crate::common::macro_input::{self, MacroInputVisitor};
use crate::common::walk::{self, Pass};

/// Which syntax of yield the body is written in.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    /// `stream! { yield x; }`: both `yield x` and `yield_!(x)` yield.
    Macro,
    /// `#[async_stream] async fn`: `yield_!(x)` yields; a bare `yield` is reported.
    Attribute,
}

/// The innermost scope around the node being visited that a yield cannot cross.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Nesting {
    Body,
    Closure,
    AsyncBlock,
    Item,
}

pub(crate) struct BodyRewriter {
    flavor: Flavor,
    form: Form,
    /// "`stream!`", "`#[async_stream]` fn"…: named in errors.
    generator: &'static str,
    yielder: Ident,
    /// The item type (the `Ok` type in the try flavour) when the user wrote it.
    declared_item: Option<TokenStream>,
    nesting: Nesting,
    /// How many yields of the body's own scope were rewritten: with none, `stream!` yields `()`.
    pub(crate) yields: usize,
    /// `PATH::__private`, through which generated code names `core` too (a crate may shadow it).
    private: TokenStream,
    pub(crate) errors: Errors,
}

/// The hidden name of the yielder: `Span::mixed_site()` makes it unnameable by user code.
pub(crate) fn yielder_ident() -> Ident {
    Ident::new("__async_ext_yielder", Span::mixed_site())
}

impl BodyRewriter {
    pub(crate) fn new(
        flavor: Flavor,
        form: Form,
        generator: &'static str,
        declared_item: Option<TokenStream>,
        private: TokenStream,
    ) -> Self {
        BodyRewriter {
            flavor,
            form,
            generator,
            declared_item,
            yielder: yielder_ident(),
            nesting: Nesting::Body,
            yields: 0,
            private,
            errors: Errors::default(),
        }
    }

    fn nested<R>(&mut self, nesting: Nesting, visit: impl FnOnce(&mut Self) -> R) -> R {
        let outer = std::mem::replace(&mut self.nesting, nesting);
        let result = visit(self);
        self.nesting = outer;
        result
    }

    /// The rewritten yield of `value` (or `()`), spanned at the yield so type errors land
    /// there; or, in a nested scope, an error and a placeholder that keeps rustc quiet.
    fn rewrite_yield(&mut self, keyword: Span, what: &str, value: Option<TokenStream>) -> Expr {
        if self.nesting != Nesting::Body {
            let (place, fix) = match self.nesting {
                Nesting::Closure => (
                    "a closure",
                    "move it out of the closure, or have the closure return a `stream!` of its own",
                ),
                Nesting::AsyncBlock => (
                    "an async block",
                    "move it out of the async block, or write a nested `stream!` instead of the \
                     async block",
                ),
                Nesting::Item | Nesting::Body => (
                    "a nested fn",
                    "move it out of the nested fn, or have that fn return a `stream!` of its own",
                ),
            };
            self.errors.push(syn::Error::new(
                keyword,
                format!(
                    "{what} inside {place} cannot yield from the enclosing {generator}: only the \
                     generator's own body can yield; {fix}",
                    generator = self.generator,
                ),
            ));
            return placeholder(&self.private, keyword);
        }
        self.yields += 1;
        let yielder = &self.yielder;
        let method = match self.flavor {
            Flavor::Plain => quote_spanned!(keyword=> yield_item),
            Flavor::Try => quote_spanned!(keyword=> yield_ok),
        };
        let value = value.unwrap_or_else(|| quote_spanned!(keyword=> ()));
        // With a declared item type, a wrong value is reported against that type.
        let declared = self
            .declared_item
            .as_ref()
            .filter(|declared| declared.to_string() != "_");
        let yield_expr = if let Some(declared) = declared {
            let item = Ident::new("__async_ext_item", Span::mixed_site());
            quote_spanned! {keyword=>
                {
                    let #item: #declared = #value;
                    #yielder.#method(#item).await;
                }
            }
        } else {
            quote_spanned! {keyword=>
                #yielder.#method(#value).await
            }
        };
        syn::parse2(yield_expr).unwrap_or_else(|error| Expr::Verbatim(error.to_compile_error()))
    }

    /// `yield_!(EXPR)`: its tokens must be one expression (or nothing, which yields `()`).
    fn rewrite_yield_macro(&mut self, mac: &syn::Macro) -> Expr {
        let keyword = mac.path.span();
        let tokens = mac.tokens.clone();
        if tokens.is_empty() {
            return self.rewrite_yield(keyword, "`yield_!`", None);
        }
        match syn::parse2::<Expr>(tokens) {
            Ok(mut value) => {
                self.visit_expr_mut(&mut value);
                self.rewrite_yield(keyword, "`yield_!`", Some(value.into_token_stream()))
            }
            Err(error) => {
                self.errors.push(syn::Error::new(
                    error.span(),
                    format!("{error}; `yield_!` takes one expression: `yield_!(value)`"),
                ));
                placeholder(&self.private, keyword)
            }
        }
    }
}

/// An expression of any type standing in for a node we reported, so that one mistake gives
/// one error (the caller allows `unreachable_code` around the body when there are errors).
fn placeholder(private: &TokenStream, span: Span) -> Expr {
    Expr::Verbatim(quote_spanned!(span=> #private::core::unreachable!()))
}

fn is_yield_macro(mac: &syn::Macro) -> bool {
    mac.path
        .segments
        .last()
        .is_some_and(|segment| segment.ident == "yield_")
}

impl Pass for BodyRewriter {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        match expr {
            Expr::Yield(yield_expr) => {
                if let Some(value) = &mut yield_expr.expr {
                    self.visit_expr_mut(value);
                }
                let keyword = yield_expr.yield_token.span;
                if self.form == Form::Attribute && self.nesting == Nesting::Body {
                    self.errors.push(syn::Error::new(
                        keyword,
                        format!(
                            "a bare `yield` is not stable Rust; in an {} write \
                             `yield_!(value)`",
                            self.generator,
                        ),
                    ));
                    *expr = placeholder(&self.private, keyword);
                    return;
                }
                let value = yield_expr.expr.as_ref().map(ToTokens::to_token_stream);
                *expr = self.rewrite_yield(keyword, "`yield`", value);
            }
            Expr::Macro(expr_macro) if is_yield_macro(&expr_macro.mac) => {
                *expr = self.rewrite_yield_macro(&expr_macro.mac);
            }
            Expr::Closure(_) => {
                self.nested(Nesting::Closure, |this| {
                    walk::children(this, expr);
                });
            }
            Expr::Async(_) => {
                self.nested(Nesting::AsyncBlock, |this| {
                    walk::children(this, expr);
                });
            }
            Expr::Try(try_expr) if self.nesting == Nesting::Body => {
                self.visit_expr_mut(&mut try_expr.expr);
                if self.flavor == Flavor::Plain {
                    self.errors.push(syn::Error::new(
                        try_expr.question_token.span,
                        format!(
                            "the `?` operator cannot be used in {}; use `try_stream!`, where \
                             `?` yields `Err(error)` and ends the stream",
                            self.generator,
                        ),
                    ));
                    *expr = placeholder(&self.private, try_expr.question_token.span);
                }
            }
            Expr::Return(return_expr)
                if self.nesting == Nesting::Body
                    && self.flavor == Flavor::Try
                    && return_expr.expr.is_none() =>
            {
                let span = return_expr.return_token.span;
                let private = &self.private;
                return_expr.expr = Some(Box::new(Expr::Verbatim(
                    quote_spanned!(span=> #private::core::result::Result::Ok(())),
                )));
            }
            _ => walk::children(self, expr),
        }
    }

    fn visit_stmt_mut(&mut self, stmt: &mut Stmt) {
        if let Stmt::Macro(stmt_macro) = stmt {
            if is_yield_macro(&stmt_macro.mac) {
                let rewritten = self.rewrite_yield_macro(&stmt_macro.mac);
                let semi = stmt_macro
                    .semi_token
                    .or_else(|| Some(syn::Token![;](stmt_macro.mac.span())));
                *stmt = Stmt::Expr(rewritten, semi);
                return;
            }
        }
        walk::children(self, stmt);
    }

    fn visit_item_mut(&mut self, item: &mut syn::Item) {
        match item {
            // A macro call in statement position (`tokio::select! { … }`) is code of this
            // scope; so is a local `macro_rules!`, whose yields expand where it is invoked (as
            // with async-stream).
            syn::Item::Macro(call) => self.visit_macro_mut(&mut call.mac),
            _ => self.nested(Nesting::Item, |this| walk::children(this, item)),
        }
    }

    // `yield` inside other macros' input (`tokio::select!` arms, `join!`, `vec!`…), as with
    // async-stream.
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        macro_input::visit_macro(self, mac);
    }
}

impl MacroInputVisitor for BodyRewriter {
    fn starts_expr(&self, token: &TokenTree, next: Option<&TokenTree>) -> bool {
        let yield_macro = matches!(next, Some(TokenTree::Punct(bang)) if bang.as_char() == '!');
        matches!(token, TokenTree::Ident(ident) if ident == "yield" || (ident == "yield_" && yield_macro))
            || macro_input::is_async_block(token, next)
    }

    /// Not a nested generator (its yields are its own), nor `yield_!` (rewritten as a call).
    fn enters_macro(&self, name: &Ident) -> bool {
        !(name == "stream" || name == "try_stream" || name == "yield_")
    }
}

/// `#[allow(unreachable_code)]` when placeholders were emitted, nothing otherwise.
pub(crate) fn allow_placeholders(has_errors: bool) -> TokenStream {
    if has_errors {
        quote!(#[allow(unreachable_code, unused_variables)])
    } else {
        TokenStream::new()
    }
}

/// The end of a try body, `Ok(())`, allowed to be unreachable: a body that never ends
/// (`loop { … }`) or ends with `return;` would otherwise warn about code it did not write.
/// rustc reports only the first unreachable node, which is this allowed `let`.
pub(crate) fn end_ok(private: &TokenStream) -> TokenStream {
    let ok = Ident::new("__async_ext_ok", Span::mixed_site());
    quote! {
        #[allow(unreachable_code)]
        let #ok = #private::core::result::Result::Ok(());
        #ok
    }
}

/// Puts a `;` after the tail expression of a try body, so `Ok(())` can follow it:
/// `async move { STMTS…; Ok(()) }`. (Wrapping the body in `let () = { … };` instead makes
/// clippy's pedantic `semicolon_if_nothing_returned` flag a rewritten `for await` in user code.)
pub(crate) fn terminate_tail(block: &mut syn::Block) {
    // Block-like tails (`for`, `if`, a rewritten `for await` block…) need no `;` to be
    // followed by more statements, and clippy flags a `;` after a rewritten `for await`.
    if let Some(Stmt::Expr(expr, semi @ None)) = block.stmts.last_mut() {
        if !matches!(
            expr,
            Expr::Block(_)
                | Expr::ForLoop(_)
                | Expr::While(_)
                | Expr::Loop(_)
                | Expr::If(_)
                | Expr::Match(_)
                | Expr::Unsafe(_)
        ) {
            *semi = Some(syn::Token![;](expr.span()));
        }
    }
}
