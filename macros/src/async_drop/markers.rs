//! Finds the async drop markers in an `#[async_scope]` body and rewrites them in place:
//! `#[async_drop] let`, `defer_async!(…)` and `disarm!(…)`. It knows whether it is inside a
//! closure or a nested async block (where markers are errors) and skips nested items (which
//! have their own attributes).

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Attribute, Expr, Ident, Local, Macro, Pat, Stmt, Type};

use crate::common::errors::Errors;
use crate::common::walk::{self, Pass};

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
    /// `&Site { … }`: where the marker was written, for the orphan report.
    pub(super) site: TokenStream,
    /// The binding's name or the `defer_async!`: errors about the clean-up point there.
    pub(super) span: Span,
}

/// Whether the markers are rewritten (the fn is a valid scope) or only removed (the fn is
/// not async: an error is reported, and the body must still compile as it stands).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    Rewrite,
    Neutralize,
}

/// How the epilogue knows the order in which the slots were filled.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Order {
    /// No marker sits in a loop: each slot is filled at most once, in the order of the text,
    /// so the epilogue cleans the slots in reverse textual order (`Slot`, no counter).
    Text,
    /// A marker sits in a loop: every fill takes a number from the scope's counter and the
    /// epilogue cleans the highest number first (`OrderedSlot`, `latest`).
    Counted,
}

impl Order {
    /// `Counted` when an `#[async_drop] let` or a `defer_async!` sits in a loop of `block`
    /// (anywhere in it: a marker in a closure inside a loop is an error anyway).
    pub(super) fn of(block: &mut syn::Block) -> Order {
        struct Finder {
            loops: usize,
            found: bool,
        }
        impl Pass for Finder {
            fn visit_expr_mut(&mut self, expr: &mut Expr) {
                if matches!(expr, Expr::Loop(_) | Expr::While(_) | Expr::ForLoop(_)) {
                    self.loops += 1;
                    walk::children(self, expr);
                    self.loops -= 1;
                } else {
                    walk::children(self, expr);
                }
            }
            fn visit_local_mut(&mut self, local: &mut Local) {
                self.found |= self.loops > 0 && local.attrs.iter().any(is_marker);
                walk::children(self, local);
            }
            fn visit_macro_mut(&mut self, mac: &mut Macro) {
                self.found |=
                    self.loops > 0 && matches!(MacroKind::of(mac), Some(MacroKind::Defer));
            }
            fn visit_item_mut(&mut self, _: &mut syn::Item) {}
        }
        let mut finder = Finder {
            loops: 0,
            found: false,
        };
        finder.visit_block_mut(block);
        if finder.found {
            Order::Counted
        } else {
            Order::Text
        }
    }
}

pub(super) struct MarkerRewriter {
    pub(super) private: TokenStream,
    /// The `#[async_scope]` fn's name, for the orphan report.
    function: String,
    pub(super) seq: Ident,
    pub(super) mode: Mode,
    pub(super) order: Order,
    pub(super) slots: Vec<SlotDecl>,
    /// How many loops enclose the current node.
    loops: usize,
    /// Names of `#[async_drop]` bindings visible at this point, innermost block last.
    scopes: Vec<Vec<(Ident, usize)>>,
    /// How many closures and async blocks enclose the current node.
    nested: usize,
    /// The names `disarm!` took out in the statement being visited, with their slots (see
    /// `visit_block_mut`).
    disarmed: Vec<(Ident, Ident)>,
    pub(super) errors: Errors,
}

impl MarkerRewriter {
    pub(super) fn new(private: TokenStream, function: &Ident, mode: Mode, order: Order) -> Self {
        MarkerRewriter {
            private,
            function: function.unraw().to_string(),
            seq: Ident::new("__async_ext_seq", Span::mixed_site()),
            mode,
            order,
            slots: Vec::new(),
            loops: 0,
            scopes: vec![Vec::new()],
            nested: 0,
            disarmed: Vec::new(),
            errors: Errors::default(),
        }
    }

    /// A new value slot named after the binding (the name shows in borrow-check errors).
    pub(super) fn new_value_slot(&mut self, name: &Ident) -> Ident {
        // Numbered: two marked bindings may share a name (in different blocks).
        let ident = Ident::new(
            &format!("__async_ext_slot_{}_of_{}", self.slots.len(), name.unraw()),
            Span::mixed_site(),
        );
        let site = self.site(Some(name), name.span());
        self.slots.push(SlotDecl {
            ident: ident.clone(),
            kind: SlotKind::Value,
            site,
            span: name.span(),
        });
        ident
    }

    /// `&Site { … }` for a marker at `span` (a promoted constant). `line!()` and friends carry
    /// the user's span, so they name the user's line, not the attribute's.
    // Output: `&PRIVATE::Site { binding: Some("conn"), function: concat!(module_path!(),
    //          "::", "handle"), file: file!(), line: line!(), column: column!() }`
    fn site(&self, binding: Option<&Ident>, span: Span) -> TokenStream {
        let private = &self.private;
        let binding = binding.map_or_else(
            || quote!(::core::option::Option::None),
            |name| {
                let name = name.unraw().to_string();
                quote!(::core::option::Option::Some(#name))
            },
        );
        let function = &self.function;
        let file = quote_spanned!(span=> ::core::file!());
        let line = quote_spanned!(span=> ::core::line!());
        let column = quote_spanned!(span=> ::core::column!());
        quote! {
            &#private::Site {
                binding: #binding,
                function: ::core::concat!(::core::module_path!(), "::", #function),
                file: #file,
                line: #line,
                column: #column,
            }
        }
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
        if self.lookup(name).is_none() {
            return;
        }
        if let Some(scope) = self.scopes.last_mut() {
            scope.push((name.clone(), usize::MAX));
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

    /// `#[async_drop] let name [: Ty] = expr;`. In a loop, like an assignment, the new value
    /// is made first; then the previous value of this `let` (when it runs again) is
    /// async-dropped, and the new one stored.
    // Input:  `#[async_drop] let tx: Tx = conn.begin().await?;`
    // Output, no marker in a loop (`Order::Text`):
    //         `let tx = { let value: Tx = conn.begin().await?; fill(&mut SLOT, value) };`
    // Output, this `let` in a loop:
    //         `let tx = { let value: Tx = conn.begin().await?; same_type(&SLOT, &value);
    //                     use …; let mut previous = rebind(&mut SLOT, &mut SEQ, value);
    //                     let cleaned = if previous.has_previous() {
    //                         rebind_cleanup((&mut previous.slot()).async_drop_slot()).await
    //                     } else { Ok(()) };
    //                     let value = previous.finish(cleaned);
    //                     fill_ordered(&mut SLOT, &mut SEQ, value) };`
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
        let fill = self.fill_call(name, &slot, &value);
        let rebind = (self.order == Order::Counted && self.loops > 0).then(|| {
            let previous = hidden("__async_ext_previous");
            let cleaned = hidden("__async_ext_cleaned");
            // `same_type` settles the slot's type before the method lookup below, which picks
            // the clean-up by the value's traits and needs the type known.
            quote! {
                #private::same_type(&#slot, &#value);
                #[allow(unused_imports)]
                use #private::{
                    AsyncDropSlot as _, AsyncDropSlotFallback as _, AsyncDropSlotSend as _,
                };
                let mut #previous = #private::rebind(&mut #slot, &mut #seq, #value);
                let #cleaned = if #previous.has_previous() {
                    #private::rebind_cleanup((&mut #previous.slot()).async_drop_slot()).await
                } else {
                    ::core::result::Result::Ok(())
                };
                let #value = #previous.finish(#cleaned);
            }
        });
        // A marked binding is used by its own clean-up, like a guard: one whose only other
        // use is `disarm!` (which reads the slot) or none at all must not warn.
        let statement = quote! {
            #[allow(unused_variables)]
            let #name = {
                let #value #ty = #init_expr;
                #rebind
                #fill
            };
        };
        replace_local(local, statement);
        self.bind_name(name, &slot);
    }

    /// The call that stores `value` in `slot` and hands out the `&mut` that `name` becomes,
    /// located at `name`: a type without `AsyncDrop` is reported there.
    pub(super) fn fill_call(&self, name: &Ident, slot: &Ident, value: &Ident) -> TokenStream {
        let private = &self.private;
        let seq = &self.seq;
        let mut located_slot = slot.clone();
        located_slot.set_span(Span::mixed_site().located_at(name.span()));
        match self.order {
            Order::Text => {
                let fill_path = respan(quote!(#private::fill), name.span());
                quote_spanned!(name.span()=> #fill_path(&mut #located_slot, #value))
            }
            Order::Counted => {
                let fill_path = respan(quote!(#private::fill_ordered), name.span());
                quote_spanned!(name.span()=> #fill_path(&mut #located_slot, &mut #seq, #value))
            }
        }
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
        let site = self.site(None, mac.path.span());
        self.slots.push(SlotDecl {
            ident: ident.clone(),
            kind: SlotKind::Defer,
            site,
            span: mac.path.span(),
        });
        // At the user's future, all of it: "`flush` is not a future" lands on `flush`.
        let span = future.span();
        let mut located_slot = ident.clone();
        located_slot.set_span(Span::mixed_site().located_at(span));
        let call = match self.order {
            Order::Text => {
                let path = respan(quote!(#private::defer_once), span);
                quote_spanned!(span=> #path(&mut #located_slot, #future))
            }
            Order::Counted => {
                let path = respan(quote!(#private::defer), span);
                quote_spanned!(span=> #path(&mut #located_slot, &mut #seq, #future))
            }
        };
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
        self.disarmed.push((name.clone(), slot.clone()));
        let mut slot = slot;
        slot.set_span(Span::mixed_site().located_at(name.span()));
        let borrow = quote_spanned!(name.span()=> &mut #slot);
        let call = quote_spanned!(mac.path.span()=> #private::disarm(#borrow));
        through_user_macro(mac, &call)
    }

    /// After a statement that disarms `name`: a later statement of the block that still uses
    /// `name` is reported at its first use (the borrow checker would report a second mutable
    /// borrow of a hidden "value" at the `disarm!`). So that this is the only error, the later
    /// uses are redirected to the slot (`used_after_disarm(&mut SLOT)`, a `&mut` of the same
    /// type): the binding's borrow then ends before the `disarm!`. Returns the disarms with no
    /// such use, for the enclosing block to check.
    fn check_uses_after_disarm(&mut self, stmts: &mut [Stmt], index: usize) -> Vec<(Ident, Ident)> {
        let mut unused = Vec::new();
        for (name, slot) in core::mem::take(&mut self.disarmed) {
            let mut redirect = RedirectUses {
                name: &name,
                slot: &slot,
                private: &self.private,
                first: None,
            };
            for stmt in &mut stmts[index + 1..] {
                redirect.visit_stmt_mut(stmt);
                if matches!(stmt, Stmt::Local(local) if pattern_names(&local.pat).contains(&name)) {
                    break;
                }
            }
            let Some(used) = redirect.first else {
                unused.push((name, slot));
                continue;
            };
            self.errors.push(syn::Error::new(
                used.span(),
                format!(
                    "`{name}` is used after `disarm!({name})` took its value out; use the value \
                     `disarm!` returned (`let {name} = disarm!({name});`), or disarm after the \
                     last use"
                ),
            ));
        }
        unused
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

impl Pass for MarkerRewriter {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        self.scopes.push(Vec::new());
        // The disarms of this block that no later statement of it uses: the enclosing block
        // checks its own later statements for them.
        let mut outer = core::mem::take(&mut self.disarmed);
        for index in 0..block.stmts.len() {
            self.visit_stmt_mut(&mut block.stmts[index]);
            let unused = self.check_uses_after_disarm(&mut block.stmts, index);
            outer.extend(unused);
        }
        self.disarmed = outer;
        self.scopes.pop();
    }

    fn visit_stmt_mut(&mut self, stmt: &mut Stmt) {
        match stmt {
            // Nested items have their own attributes and scopes.
            Stmt::Item(_) => {}
            Stmt::Local(local) => {
                if let Some(marker) = take_marker(&mut local.attrs) {
                    if let Some(init) = &mut local.init {
                        walk::node(self, init);
                    }
                    if self.nested == 0 {
                        self.rewrite_local(&marker, local);
                    } else {
                        self.reject_nested("`#[async_drop]`", &marker);
                    }
                } else {
                    walk::children(self, local);
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
            Stmt::Expr(..) => walk::children(self, stmt),
        }
    }

    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        match expr {
            Expr::Loop(_) | Expr::While(_) | Expr::ForLoop(_) => {
                self.loops += 1;
                walk::children(self, expr);
                self.loops -= 1;
            }
            Expr::Closure(closure) => {
                self.with_nested(|this| {
                    walk::children(this, closure);
                });
            }
            Expr::Async(block) => {
                self.with_nested(|this| walk::children(this, block));
            }
            Expr::Macro(expr_macro) => {
                if let Some(rewritten) = self.rewrite_macro(&expr_macro.mac) {
                    *expr = rewritten;
                }
            }
            _ => walk::children(self, expr),
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

/// Redirects the uses of a disarmed name to its slot, remembering the first.
struct RedirectUses<'a> {
    name: &'a Ident,
    slot: &'a Ident,
    private: &'a TokenStream,
    first: Option<Ident>,
}

impl Pass for RedirectUses<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        let used = match expr {
            Expr::Path(path) if path.qself.is_none() => path
                .path
                .get_ident()
                .filter(|ident| *ident == self.name)
                .cloned(),
            _ => None,
        };
        let Some(used) = used else {
            walk::children(self, expr);
            return;
        };
        let span = used.span();
        let private = self.private;
        let mut slot = self.slot.clone();
        slot.set_span(Span::mixed_site().located_at(span));
        let call = respan(quote!(#private::used_after_disarm), span);
        *expr = syn::parse_quote_spanned!(span=> (#call(&mut #slot)));
        self.first.get_or_insert(used);
    }

    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

/// The names a plain `let` pattern binds (they shadow marked names for `disarm!`).
fn pattern_names(pat: &Pat) -> Vec<Ident> {
    struct Names(Vec<Ident>);
    impl Pass for Names {
        // A pattern's expressions (`1..=9`) bind nothing.
        fn visit_expr_mut(&mut self, _: &mut syn::Expr) {}
        fn visit_pat_ident_mut(&mut self, pat: &mut syn::PatIdent) {
            self.0.push(pat.ident.clone());
            walk::children(self, pat);
        }
    }
    let mut names = Names(Vec::new());
    walk::node(&mut names, &mut pat.clone());
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
