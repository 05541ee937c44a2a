//! The one `for await` rewriter, run by every macro of the crate on the code it is given:
//! `#[for_await]`, `#[async_trait_ext]`, `#[async_stream]`, `#[async_try_stream]`,
//! `#[async_scope]` (with its `defer_async!` futures), `async_closure!` and (after a token
//! pre-pass that turns `for await` into `#[for_await] for`) `stream!` and `try_stream!`. It
//! also rewrites loops inside other macros' input (`join!(async { … })`).
//!
//! Input:  `#[for_await] 'label: for PAT in EXPR { BODY }`
//! Output: `{ let mut stream = pin!(loop_stream(EXPR));      // `loop_stream_by_mut` for `&mut …`
//!            'label: while let Some(item) = next(stream.as_mut()).await { let PAT = item; BODY… } }`
//!
//! `loop_stream` accepts only streams, and when it fails it leaves rustc an error type, so a
//! non-stream gives one error at the user's expression ("`Vec<u32>` is not a `Stream`"), not one
//! per use (`support/src/for_await.rs` says how).
//!
//! Binding the pattern with `let` inside the loop (rather than in `while let`) keeps the
//! `for` loop's rule that the pattern must be irrefutable.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Attribute, Expr, ExprForLoop, Ident, Stmt};

use super::crate_path::CratePath;
use super::errors::{Errors, error_with_fallback};
use super::macro_input::{self, MacroInputVisitor};
use super::options::Options;
use super::spans::located_at;
use super::walk::{self, Node, Pass};

/// `#[for_await]` on a fn (free, method, async or not): rewrites the marked loops inside.
pub(crate) fn expand_attribute(args: TokenStream, input: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let krate = errors.push_result(parse_options(args)).unwrap_or_default();
    let mut function = match syn::parse2::<syn::ItemFn>(input.clone()) {
        Ok(function) => function,
        Err(_) if syn::parse2::<ExprForLoop>(input.clone()).is_ok() => {
            // A marked loop whose fn carries no async-ext attribute: rustc has already said
            // "attributes on expressions are experimental"; say what to do, and drop the loop
            // so no "not an iterator" error follows.
            let error = syn::Error::new(
                Span::call_site(),
                "this `#[for_await]` loop is not rewritten: put `#[for_await]` on the enclosing \
                 fn too (or make it an `#[async_trait_ext]`, `#[async_stream]`, \
                 `#[async_try_stream]` or `#[async_scope]` item)",
            )
            .to_compile_error();
            return quote!({ #error });
        }
        Err(_) => {
            let error = syn::Error::new(
                Span::call_site(),
                "`#[for_await]` goes on a fn whose body holds `#[for_await] for` loops, \
                 or on such a loop inside a fn that carries `#[for_await]`",
            );
            return error_with_fallback(&error, input);
        }
    };
    // Even when the options are wrong, the loops are rewritten, so the one error stands alone.
    errors.push_result(rewrite(&mut function, &krate));
    match errors.finish() {
        Ok(()) => function.into_token_stream(),
        Err(error) => error_with_fallback(&error, function),
    }
}

fn parse_options(args: TokenStream) -> syn::Result<CratePath> {
    let mut options = Options::parse(args, "for_await")?;
    let krate = options.take_crate_path()?;
    options.finish(&["crate = path"])?;
    Ok(krate)
}

/// Rewrites every `#[for_await]` loop inside `node` (a block, a fn, a whole trait or impl).
/// Misplaced markers are reported together; the loops that could be rewritten still are.
pub(crate) fn rewrite<N: Node + ?Sized>(node: &mut N, krate: &CratePath) -> syn::Result<()> {
    let mut rewriter = ForAwaitRewriter {
        private: krate.private(),
        errors: Errors::default(),
    };
    walk::node(&mut rewriter, node);
    rewriter.errors.finish()
}

pub(crate) struct ForAwaitRewriter {
    private: TokenStream,
    errors: Errors,
}

impl Pass for ForAwaitRewriter {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        // Inner loops first, so a marked loop nested in a marked loop is rewritten too.
        walk::children(self, expr);
        if let Expr::ForLoop(for_loop) = expr {
            if take_marker(&mut for_loop.attrs, &mut self.errors) {
                *expr = self.rewrite_loop(for_loop);
            }
        } else if let Some(attrs) = expr_attrs_mut(expr) {
            self.reject_marker(attrs, "on an expression that is not a `for` loop");
        }
    }

    fn visit_stmt_mut(&mut self, stmt: &mut Stmt) {
        walk::children(self, stmt);
        match stmt {
            Stmt::Local(local) => self.reject_marker(&mut local.attrs, "on a `let` statement"),
            Stmt::Macro(mac) => self.reject_marker(&mut mac.attrs, "on a macro call"),
            Stmt::Expr(..) | Stmt::Item(..) => {}
        }
    }

    // Loops inside other macros' input too (`defer_async!(async { … })`, `select!` arms, a
    // local `macro_rules!`, rewritten where it is defined like the code around it).
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        macro_input::visit_macro(self, mac);
    }
}

impl MacroInputVisitor for ForAwaitRewriter {
    fn starts_expr(&self, token: &TokenTree, next: Option<&TokenTree>) -> bool {
        macro_input::is_attribute_named(token, next, "for_await")
    }

    fn enters_macro(&self, _: &syn::Ident) -> bool {
        true
    }
}

impl ForAwaitRewriter {
    fn rewrite_loop(&self, for_loop: &ExprForLoop) -> Expr {
        let private = &self.private;
        let ExprForLoop {
            label,
            for_token,
            pat,
            expr: stream_expr,
            body,
            ..
        } = for_loop;
        let stream = Ident::new("__async_ext_stream", Span::mixed_site());
        let item = Ident::new("__async_ext_item", Span::mixed_site());
        // The stream check is spanned at the user's expression, so "not a stream" lands there;
        // `&mut stream` has its own check, whose error says to pin a stream that is not `Unpin`.
        let check = if is_mut_reference(stream_expr) {
            quote_spanned!(stream_expr.span()=> loop_stream_by_mut)
        } else {
            quote_spanned!(stream_expr.span()=> loop_stream)
        };
        // The whole path, so that rustc's "required by a bound introduced by this call" points
        // at the expression too, not at the attribute or macro call (hygiene is kept).
        let check_path = located_at(quote!(#private::#check), stream_expr.span());
        let checked = quote_spanned! {stream_expr.span()=>
            #check_path(#stream_expr)
        };
        // The body's statements go in the loop's block, after the binding, rather than the
        // body as a nested block: as its tail, a one-line body (`{ sum += x }`) would get
        // rustc's `unused_braces` on the user's braces.
        let body_stmts = &body.stmts;
        // `.await` is spanned at `for`, so "await outside async" lands on the loop.
        let await_token = quote_spanned!(for_token.span=> .await);
        let rewritten = quote! {
            {
                let mut #stream = #private::core::pin::pin!(#checked);
                #label while let #private::core::option::Option::Some(#item) =
                    #private::next(#private::core::pin::Pin::as_mut(&mut #stream)) #await_token
                {
                    let #pat = #item;
                    #(#body_stmts)*
                }
            }
        };
        syn::parse2(rewritten).unwrap_or_else(|error| Expr::Verbatim(error.to_compile_error()))
    }

    fn reject_marker(&mut self, attrs: &mut Vec<Attribute>, place: &str) {
        if let Some(index) = attrs.iter().position(is_marker) {
            let attr = attrs.remove(index);
            self.errors.push(syn::Error::new_spanned(
                attr,
                format!(
                    "`#[for_await]` {place}; it goes on a `for` loop: \
                     `#[for_await] for item in stream {{ … }}`"
                ),
            ));
        }
    }
}

/// `&mut EXPR` (in parentheses or not).
fn is_mut_reference(expr: &Expr) -> bool {
    match expr {
        Expr::Reference(reference) => reference.mutability.is_some(),
        Expr::Paren(paren) => is_mut_reference(&paren.expr),
        _ => false,
    }
}

fn is_marker(attr: &Attribute) -> bool {
    attr.path()
        .segments
        .last()
        .is_some_and(|segment| segment.ident == "for_await")
}

/// Removes the `#[for_await]` marker from a loop's attributes, reporting arguments on it.
fn take_marker(attrs: &mut Vec<Attribute>, errors: &mut Errors) -> bool {
    let Some(index) = attrs.iter().position(is_marker) else {
        return false;
    };
    let attr = attrs.remove(index);
    if !matches!(attr.meta, syn::Meta::Path(_)) {
        errors.push(syn::Error::new_spanned(
            attr,
            "`#[for_await]` on a loop takes no arguments; write `#[for_await] for item in stream { … }`",
        ));
    }
    true
}

/// The attributes of the expressions a marker could mistakenly sit on.
fn expr_attrs_mut(expr: &mut Expr) -> Option<&mut Vec<Attribute>> {
    Some(match expr {
        Expr::While(e) => &mut e.attrs,
        Expr::Loop(e) => &mut e.attrs,
        Expr::Block(e) => &mut e.attrs,
        Expr::If(e) => &mut e.attrs,
        Expr::Match(e) => &mut e.attrs,
        Expr::Call(e) => &mut e.attrs,
        Expr::MethodCall(e) => &mut e.attrs,
        Expr::Macro(e) => &mut e.attrs,
        Expr::Assign(e) => &mut e.attrs,
        Expr::Async(e) => &mut e.attrs,
        Expr::Await(e) => &mut e.attrs,
        Expr::Closure(e) => &mut e.attrs,
        Expr::Path(e) => &mut e.attrs,
        _ => return None,
    })
}
