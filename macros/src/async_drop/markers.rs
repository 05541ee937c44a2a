//! Finds the async drop markers in an `#[async_scope]` body and rewrites them in place:
//! `#[async_drop] let`, `defer_async!(…)` and `disarm!(…)`. It knows whether it is inside a
//! closure or a nested async block (where markers are errors) and skips nested items (which
//! have their own attributes).

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::visit_mut::{self, VisitMut};
use syn::{Attribute, Expr, Ident, Local, Macro, Pat, Stmt, Type};

use crate::common::errors::Errors;

/// What a slot holds.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum SlotKind {
    /// An `#[async_drop]` value (`let` or parameter): `Slot<T>`.
    Value,
    /// The futures of one `defer_async!` site: `DeferSlot<F>`.
    Defer,
}

/// One slot of the fn: a hidden local of the fn's future.
pub(super) struct SlotDecl {
    pub(super) ident: Ident,
    pub(super) kind: SlotKind,
}

/// Whether the markers are rewritten (the fn is a valid scope) or only removed (the fn is
/// not async: an error is reported, and the body must still compile as it stands).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    Rewrite,
    Neutralize,
}

pub(super) struct MarkerRewriter {
    pub(super) private: TokenStream,
    pub(super) seq: Ident,
    pub(super) mode: Mode,
    pub(super) slots: Vec<SlotDecl>,
    /// Names of `#[async_drop]` bindings visible at this point, innermost block last.
    scopes: Vec<Vec<(Ident, usize)>>,
    /// How many closures and async blocks enclose the current node.
    nested: usize,
    pub(super) errors: Errors,
}

impl MarkerRewriter {
    pub(super) fn new(private: TokenStream, mode: Mode) -> Self {
        MarkerRewriter {
            private,
            seq: Ident::new("__async_ext_seq", Span::mixed_site()),
            mode,
            slots: Vec::new(),
            scopes: vec![Vec::new()],
            nested: 0,
            errors: Errors::default(),
        }
    }

    /// A new value slot named after the binding (the name shows in borrow-check errors).
    pub(super) fn new_value_slot(&mut self, name: &Ident) -> Ident {
        let ident = Ident::new(
            &format!("__async_ext_slot_of_{}", name.unraw()),
            Span::mixed_site(),
        );
        self.slots.push(SlotDecl {
            ident: ident.clone(),
            kind: SlotKind::Value,
        });
        ident
    }

    /// Makes `name` refer to `slot` for `disarm!` in the current block.
    pub(super) fn bind_name(&mut self, name: &Ident, slot: &Ident) {
        let index = self
            .slots
            .iter()
            .position(|decl| decl.ident == *slot)
            .unwrap_or_default();
        if let Some(scope) = self.scopes.last_mut() {
            scope.push((name.clone(), index));
        }
    }

    fn unbind_name(&mut self, name: &Ident) {
        if let Some(scope) = self.scopes.last_mut() {
            scope.retain(|(bound, _)| bound != name);
        }
        // A plain `let` shadowing an outer marked name hides it until the block ends; record
        // that by a binding to no slot.
        if self.lookup(name).is_some() {
            if let Some(scope) = self.scopes.last_mut() {
                scope.push((name.clone(), usize::MAX));
            }
        }
    }

    fn lookup(&self, name: &Ident) -> Option<usize> {
        self.scopes
            .iter()
            .rev()
            .flat_map(|scope| scope.iter().rev())
            .find(|(bound, _)| bound == name)
            .map(|(_, index)| *index)
            .filter(|index| *index != usize::MAX)
    }

    /// `#[async_drop] let name [: Ty] = expr;`. Like an assignment, the new value is made
    /// first; then the previous value of this `let` (when it runs again in a loop) is
    /// async-dropped, and the new one stored.
    // Input:  `#[async_drop] let tx: Tx = conn.begin().await?;`
    // Output: `let tx = { let value: Tx = conn.begin().await?; same_type(&SLOT, &value);
    //                     use …; let mut previous = rebind(&mut SLOT, &mut SEQ, value);
    //                     let cleaned = rebind_cleanup((&mut previous.slot())
    //                                                  .async_drop_slot()).await;
    //                     let value = previous.finish(cleaned);
    //                     fill(&mut SLOT, &mut SEQ, value) };`
    fn rewrite_local(&mut self, marker: &Attribute, local: &mut Local) {
        let Some(binding) = self.check_local(marker, local) else {
            return;
        };
        let Some(init) = &local.init else { return };
        if self.mode == Mode::Neutralize {
            // The marker is gone: an ordinary `let`, so the rest of the body still compiles.
            return;
        }
        let slot = self.new_value_slot(&binding.name);
        let private = &self.private;
        let seq = &self.seq;
        let name = &binding.name;
        let init_expr = &init.expr;
        let value = Ident::new(
            "__async_ext_value",
            Span::mixed_site().located_at(name.span()),
        );
        let ty = binding.ty.map(|ty| quote!(: #ty));
        let previous = hidden("__async_ext_previous");
        let cleaned = hidden("__async_ext_cleaned");
        let fill_path = respan(quote!(#private::fill), name.span());
        let mut located_slot = slot.clone();
        located_slot.set_span(Span::mixed_site().located_at(name.span()));
        let fill = quote_spanned!(name.span()=> #fill_path(&mut #located_slot, &mut #seq, #value));
        // `same_type` settles the slot's type before the method lookup below, which picks the
        // clean-up by the value's traits and needs the type known.
        // A marked binding is used by its own clean-up, like a guard: one whose only other
        // use is `disarm!` (which reads the slot) or none at all must not warn.
        let statement = quote! {
            #[allow(unused_variables)]
            let #name = {
                let #value #ty = #init_expr;
                #private::same_type(&#slot, &#value);
                #[allow(unused_imports)]
                use #private::{
                    AsyncDropSlot as _, AsyncDropSlotFallback as _, AsyncDropSlotSend as _,
                };
                let mut #previous = #private::rebind(&mut #slot, &mut #seq, #value);
                let #cleaned =
                    #private::rebind_cleanup((&mut #previous.slot()).async_drop_slot()).await;
                let #value = #previous.finish(#cleaned);
                #fill
            };
        };
        replace_local(local, statement);
        self.bind_name(name, &slot);
    }

    /// Checks that a marked `let` binds a plain name and has a plain initializer.
    fn check_local(&mut self, marker: &Attribute, local: &Local) -> Option<Binding> {
        let Some(init) = &local.init else {
            self.errors.push(syn::Error::new_spanned(
                &local.pat,
                "an `#[async_drop] let` needs a value: `#[async_drop] let name = value;`",
            ));
            return None;
        };
        if let Some((else_token, _)) = &init.diverge {
            self.errors.push(syn::Error::new(
                else_token.span,
                "an `#[async_drop] let` cannot have an `else` branch: bind the value with \
                 `let … else` first, then mark a plain `let name = value;`",
            ));
            return None;
        }
        let binding = plain_binding(&local.pat);
        if binding.is_none() {
            self.errors.push(syn::Error::new_spanned(
                &local.pat,
                "`#[async_drop]` binds a plain name, not a pattern: write \
                 `#[async_drop] let name = value;` (the name is a `&mut` to the value) and \
                 destructure through it",
            ));
        }
        reject_marker_arguments(marker, &mut self.errors);
        binding
    }

    /// `defer_async!(future)` → `defer(&mut SLOT, &mut SEQ, future)`
    fn rewrite_defer(&mut self, mac: &Macro) -> Expr {
        let Ok(mut future) = mac.parse_body::<Expr>() else {
            self.errors.push(syn::Error::new(
                mac.delimiter.span().join(),
                "`defer_async!` takes one future: `defer_async!(async { … })`",
            ));
            return through_user_macro(mac, &quote!(()));
        };
        self.visit_expr_mut(&mut future);
        if self.mode == Mode::Neutralize {
            return through_user_macro(mac, &quote!({ let _ = #future; }));
        }
        let private = &self.private;
        let seq = &self.seq;
        let ident = Ident::new(
            &format!("__async_ext_defer_slot_{}", self.slots.len()),
            Span::mixed_site(),
        );
        self.slots.push(SlotDecl {
            ident: ident.clone(),
            kind: SlotKind::Defer,
        });
        let call =
            quote_spanned!(mac.path.span()=> #private::defer(&mut #ident, &mut #seq, #future));
        through_user_macro(mac, &call)
    }

    /// `disarm!(name)` → `disarm(&mut SLOT)`
    fn rewrite_disarm(&mut self, mac: &Macro) -> Expr {
        let Ok(name) = mac.parse_body::<Ident>() else {
            self.errors.push(syn::Error::new(
                mac.delimiter.span().join(),
                "`disarm!` takes the name of an `#[async_drop]` binding: `disarm!(conn)`",
            ));
            return through_user_macro(mac, &quote!(::core::unreachable!()));
        };
        if self.mode == Mode::Neutralize {
            return through_user_macro(mac, &quote!(::core::unreachable!()));
        }
        let Some(index) = self.lookup(&name) else {
            self.errors.push(syn::Error::new(
                name.span(),
                format!(
                    "`{name}` is not an `#[async_drop]` binding of this `#[async_scope]` fn; \
                     `disarm!` takes the name of an `#[async_drop] let` or parameter in scope"
                ),
            ));
            return through_user_macro(mac, &quote!(::core::unreachable!()));
        };
        let private = &self.private;
        let slot = self.slots.get(index).map_or_else(
            || Ident::new("missing_slot", Span::mixed_site()),
            |decl| decl.ident.clone(),
        );
        // The slot's hygiene, the user's location: a borrow error lands on `disarm!(name)`.
        let mut slot = slot;
        slot.set_span(Span::mixed_site().located_at(name.span()));
        let borrow = quote_spanned!(name.span()=> &mut #slot);
        let call = quote_spanned!(mac.path.span()=> #private::disarm(#borrow));
        through_user_macro(mac, &call)
    }

    /// A marker met inside a closure or a nested async block.
    fn reject_nested(&mut self, what: &str, tokens: &dyn quote::ToTokens) {
        if self.nested == 0 {
            return;
        }
        let error = syn::Error::new_spanned(
            tokens,
            format!(
                "{what} inside a closure or an async block: its clean-up belongs to the \
                 `#[async_scope]` fn, which cannot reach it there; move it to the fn's body, \
                 or make the block an `#[async_scope]` async fn of its own"
            ),
        );
        self.errors.push(error);
    }

    /// Rewrites a macro call if it is one of ours; `None` if it is not.
    fn rewrite_macro(&mut self, mac: &Macro) -> Option<Expr> {
        let kind = MacroKind::of(mac)?;
        if self.nested > 0 {
            self.reject_nested(kind.describe(), &mac.path);
            return Some(match kind {
                MacroKind::Defer => through_user_macro(mac, &quote!(())),
                MacroKind::Disarm => through_user_macro(mac, &quote!(::core::unreachable!())),
            });
        }
        Some(match kind {
            MacroKind::Defer => self.rewrite_defer(mac),
            MacroKind::Disarm => self.rewrite_disarm(mac),
        })
    }

    fn with_nested(&mut self, f: impl FnOnce(&mut Self)) {
        self.nested += 1;
        self.scopes.push(Vec::new());
        f(self);
        self.scopes.pop();
        self.nested -= 1;
    }
}

impl VisitMut for MarkerRewriter {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        self.scopes.push(Vec::new());
        visit_mut::visit_block_mut(self, block);
        self.scopes.pop();
    }

    fn visit_stmt_mut(&mut self, stmt: &mut Stmt) {
        match stmt {
            // Nested items have their own attributes and scopes.
            Stmt::Item(_) => {}
            Stmt::Local(local) => {
                if let Some(marker) = take_marker(&mut local.attrs) {
                    if let Some(init) = &mut local.init {
                        self.visit_local_init_mut(init);
                    }
                    if self.nested == 0 {
                        self.rewrite_local(&marker, local);
                    } else {
                        self.reject_nested("`#[async_drop]`", &marker);
                    }
                } else {
                    visit_mut::visit_local_mut(self, local);
                    for name in pattern_names(&local.pat) {
                        self.unbind_name(&name);
                    }
                }
            }
            Stmt::Macro(stmt_macro) => {
                if let Some(expr) = self.rewrite_macro(&stmt_macro.mac) {
                    let semi = stmt_macro.semi_token;
                    *stmt = Stmt::Expr(expr, semi);
                }
            }
            Stmt::Expr(..) => visit_mut::visit_stmt_mut(self, stmt),
        }
    }

    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        match expr {
            Expr::Closure(closure) => {
                self.with_nested(|this| {
                    visit_mut::visit_expr_closure_mut(this, closure);
                });
            }
            Expr::Async(block) => {
                self.with_nested(|this| visit_mut::visit_expr_async_mut(this, block));
            }
            Expr::Macro(expr_macro) => {
                if let Some(rewritten) = self.rewrite_macro(&expr_macro.mac) {
                    *expr = rewritten;
                }
            }
            _ => visit_mut::visit_expr_mut(self, expr),
        }
    }

    // Nested items (reached through blocks) have their own attributes and scopes.
    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

/// The two function-like macros `#[async_scope]` rewrites.
#[derive(Clone, Copy)]
enum MacroKind {
    Defer,
    Disarm,
}

impl MacroKind {
    fn of(mac: &Macro) -> Option<Self> {
        let last = mac.path.segments.last()?;
        if last.ident == "defer_async" {
            Some(MacroKind::Defer)
        } else if last.ident == "disarm" {
            Some(MacroKind::Disarm)
        } else {
            None
        }
    }

    fn describe(self) -> &'static str {
        match self {
            MacroKind::Defer => "`defer_async!`",
            MacroKind::Disarm => "`disarm!`",
        }
    }
}

/// The plain name (and type) a marked `let` or parameter binds.
pub(super) struct Binding {
    pub(super) name: Ident,
    pub(super) ty: Option<Type>,
}

/// `name`, `mut name`, `name: T`, `mut name: T`; `None` for any other pattern. `mut` is
/// accepted and dropped: the name is a `&mut` to the value either way.
pub(super) fn plain_binding(pat: &Pat) -> Option<Binding> {
    match pat {
        Pat::Ident(ident) if ident.by_ref.is_none() && ident.subpat.is_none() => Some(Binding {
            name: ident.ident.clone(),
            ty: None,
        }),
        Pat::Type(typed) => plain_binding(&typed.pat)
            .filter(|b| b.ty.is_none())
            .map(|b| Binding {
                name: b.name,
                ty: Some((*typed.ty).clone()),
            }),
        _ => None,
    }
}

pub(super) fn is_marker(attr: &Attribute) -> bool {
    attr.path().is_ident("async_drop")
}

/// Removes and returns the `#[async_drop]` marker from a list of attributes.
pub(super) fn take_marker(attrs: &mut Vec<Attribute>) -> Option<Attribute> {
    let index = attrs.iter().position(is_marker)?;
    Some(attrs.remove(index))
}

pub(super) fn reject_marker_arguments(marker: &Attribute, errors: &mut Errors) {
    if !matches!(marker.meta, syn::Meta::Path(_)) {
        errors.push(syn::Error::new_spanned(
            marker,
            "`#[async_drop]` on a binding takes no arguments: write `#[async_drop]`",
        ));
    }
}

/// The names a plain `let` pattern binds (they shadow marked names for `disarm!`).
fn pattern_names(pat: &Pat) -> Vec<Ident> {
    struct Names(Vec<Ident>);
    impl<'ast> syn::visit::Visit<'ast> for Names {
        // See `common`: a visitor of patterns stops at expressions.
        fn visit_expr(&mut self, _: &'ast syn::Expr) {}
        fn visit_pat_ident(&mut self, pat: &'ast syn::PatIdent) {
            self.0.push(pat.ident.clone());
            syn::visit::visit_pat_ident(self, pat);
        }
    }
    let mut names = Names(Vec::new());
    syn::visit::Visit::visit_pat(&mut names, pat);
    names.0
}

/// Replaces a `let` by the rewritten one, keeping the user's other attributes on it.
fn replace_local(local: &mut Local, tokens: TokenStream) {
    match syn::parse2::<Stmt>(tokens) {
        Ok(Stmt::Local(mut new)) => {
            new.attrs.append(&mut local.attrs);
            *local = new;
        }
        Ok(_) => {}
        Err(error) => {
            local.init = Some(syn::LocalInit {
                eq_token: syn::Token![=](Span::call_site()),
                expr: Box::new(Expr::Verbatim(error.to_compile_error())),
                diverge: None,
            });
        }
    }
}

/// The rewritten call, still passed through the user's macro path (`defer_async!` as
/// imported), whose `macro_rules!` arm for `@rewritten_by_async_scope` returns it unchanged:
/// the user's import stays used, and the path still resolves to our macro.
fn through_user_macro(mac: &Macro, call: &TokenStream) -> Expr {
    let path = &mac.path;
    let bang = mac.bang_token;
    syn::parse_quote!(#path #bang (@rewritten_by_async_scope #call))
}

/// `tokens` with every span set to `span` (groups included), so that an error about the
/// whole expression (an unmet bound of a call) lands on the user's token rather than on the
/// attribute that produced the path to the runtime.
pub(super) fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut tree| {
            if let proc_macro2::TokenTree::Group(group) = &tree {
                let mut new =
                    proc_macro2::Group::new(group.delimiter(), respan(group.stream(), span));
                new.set_span(span);
                tree = proc_macro2::TokenTree::Group(new);
            } else {
                tree.set_span(span);
            }
            tree
        })
        .collect()
}

/// Hidden ident helper for the scope: `format_ident!` with mixed-site hygiene.
pub(super) fn hidden(name: &str) -> Ident {
    format_ident!("{}", name, span = Span::mixed_site())
}
