//! Turns each use of a captured name in the body into a place, so the body writes `n += x`
//! as in a native closure while the generated code binds `n` as a reference to the state.

use std::collections::HashSet;

use proc_macro2::{Delimiter, Group, Ident, Punct, Spacing, TokenStream, TokenTree};
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Pat, Stmt};

use crate::common::errors::Errors;

// Input: the body, with the captures `n` and `prefix` bound as `&mut u32` and `&String`:
//        `{ n += step; let n = 1; format!("{prefix}{}", n + x) }`
// Output: `{ *n += step; let n = 1; format!("{prefix}{}", n + x) }`
// Method calls, fields, indexing and calls on a capture auto-deref and stay as written; a
// name shadowed by a `let`, an argument, a closure parameter or a pattern is left alone; in
// macro arguments a capture name that reads as a value gets the same `*`.
// `&name` of a capture bound as a shared reference is the binding itself (`&*name` would be
// the same value, and clippy's `borrow_deref_ref` would flag it in the user's code).
// Assigning to (or `&mut` borrowing) a capture not declared `mut` is reported here, at the
// user's token, with the fix; rustc would only say the reference behind it is not `mut`.
pub(crate) fn rewrite_body(
    body: &mut Expr,
    captures: &[(Ident, bool)],
    args: &[&Pat],
) -> syn::Result<()> {
    let mut active: HashSet<String> = captures.iter().map(|(name, _)| name.to_string()).collect();
    for pat in args {
        for name in bound_names(pat) {
            active.remove(&name);
        }
    }
    let shared = captures
        .iter()
        .filter(|(_, mutable)| !mutable)
        .map(|(name, _)| name.to_string())
        .collect();
    let mut rewriter = PlaceRewriter {
        active,
        shared,
        errors: Errors::default(),
    };
    rewriter.visit_expr_mut(body);
    rewriter.errors.finish()
}

struct PlaceRewriter {
    /// The capture names not shadowed at this point of the body.
    active: HashSet<String>,
    /// The captures bound as `&T` (the others are `&mut T`).
    shared: HashSet<String>,
    errors: Errors,
}

impl PlaceRewriter {
    fn is_capture(&self, expr: &Expr) -> bool {
        match expr {
            Expr::Path(path) if path.qself.is_none() && path.attrs.is_empty() => path
                .path
                .get_ident()
                .is_some_and(|ident| self.active.contains(&ident.to_string())),
            _ => false,
        }
    }

    /// The name of `expr` if it is an active capture bound as `&T`.
    fn shared_capture(&self, expr: &Expr) -> Option<Ident> {
        match expr {
            Expr::Path(path) if self.is_capture(expr) => path
                .path
                .get_ident()
                .filter(|ident| self.shared.contains(&ident.to_string()))
                .cloned(),
            _ => None,
        }
    }

    /// `target` is assigned to or borrowed mutably: an error if it is a capture not declared
    /// `mut`, or a field or element of one (`p.x = 1`, `v[0] = 1`).
    fn check_mutation(&mut self, target: &Expr, borrow: bool) {
        let mut root = target;
        loop {
            match root {
                Expr::Field(field) => root = &field.base,
                Expr::Index(index) => root = &index.expr,
                Expr::Paren(paren) => root = &paren.expr,
                _ => break,
            }
        }
        if let Some(name) = self.shared_capture(root) {
            let part = if std::ptr::eq(root, target) {
                ""
            } else {
                "a part of "
            };
            let what = if borrow {
                format!("cannot borrow {part}the capture `{name}` as mutable")
            } else {
                format!("cannot assign to {part}the capture `{name}`")
            };
            self.errors.push(syn::Error::new(
                name.span(),
                format!(
                    "{what}, which is not declared `mut`: write `let mut {name} = …;` in the \
                     capture block"
                ),
            ));
        }
    }

    /// Runs `visit` with the names bound by `pats` shadowed, then restores the scope.
    fn shadowed<'p>(
        &mut self,
        pats: impl IntoIterator<Item = &'p Pat>,
        visit: impl FnOnce(&mut Self),
    ) {
        let saved = self.active.clone();
        for pat in pats {
            for name in bound_names(pat) {
                self.active.remove(&name);
            }
        }
        visit(self);
        self.active = saved;
    }

    /// Visits the sub-expression unless it is a capture used where Rust auto-derefs.
    fn visit_auto_deref(&mut self, expr: &mut Expr) {
        if !self.is_capture(expr) {
            self.visit_expr_mut(expr);
        }
    }

    fn rewrite_tokens(&self, tokens: TokenStream) -> TokenStream {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        let mut out = TokenStream::new();
        for (index, tree) in trees.iter().enumerate() {
            match tree {
                TokenTree::Ident(ident)
                    if self.active.contains(&ident.to_string())
                        && reads_as_value(&trees, index) =>
                {
                    let mut star = Punct::new('*', Spacing::Alone);
                    star.set_span(ident.span());
                    out.extend([TokenTree::Punct(star), tree.clone()]);
                }
                TokenTree::Group(group) => {
                    let mut rewritten =
                        Group::new(group.delimiter(), self.rewrite_tokens(group.stream()));
                    rewritten.set_span(group.span());
                    out.extend([TokenTree::Group(rewritten)]);
                }
                other => out.extend([other.clone()]),
            }
        }
        out
    }
}

/// In macro tokens: whether a capture's name at this position is a value to dereference, not
/// a field or method name (`x.n`), a path segment (`a::n`, `n::b`), a macro name (`n!`), a
/// named argument or field (`n = …`, `n: …`), or a receiver that auto-derefs (`n.len()`,
/// `n[0]`, `n(..)`, `n?`).
fn reads_as_value(trees: &[TokenTree], index: usize) -> bool {
    let punct_at = |offset: usize| match index.checked_sub(offset).and_then(|i| trees.get(i)) {
        Some(TokenTree::Punct(punct)) => Some(punct.clone()),
        _ => None,
    };
    if let Some(previous) = punct_at(1) {
        let path_separator = previous.as_char() == ':'
            && punct_at(2).is_some_and(|p| p.as_char() == ':' && p.spacing() == Spacing::Joint);
        // `x.n` names a field; `..n` is a range of values.
        let field = previous.as_char() == '.'
            && !punct_at(2).is_some_and(|p| p.as_char() == '.' && p.spacing() == Spacing::Joint);
        if field || path_separator {
            return false;
        }
    }
    match trees.get(index + 1) {
        // `n..m` is a range of values; `n.len()` a method call that auto-derefs.
        Some(TokenTree::Punct(punct)) if punct.as_char() == '.' => {
            punct.spacing() == Spacing::Joint
                && matches!(trees.get(index + 2), Some(TokenTree::Punct(p)) if p.as_char() == '.')
        }
        Some(TokenTree::Punct(punct)) => match punct.as_char() {
            '?' | '!' | ':' => false,
            '=' => punct.spacing() == Spacing::Joint,
            _ => true,
        },
        Some(TokenTree::Group(group)) => !matches!(
            group.delimiter(),
            Delimiter::Parenthesis | Delimiter::Bracket
        ),
        _ => true,
    }
}

impl VisitMut for PlaceRewriter {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if self.is_capture(expr) {
            let inner = expr.clone();
            let span = syn::spanned::Spanned::span(&inner);
            *expr = Expr::Unary(syn::ExprUnary {
                attrs: Vec::new(),
                op: syn::UnOp::Deref(syn::Token![*](span)),
                expr: Box::new(inner),
            });
            return;
        }
        match expr {
            Expr::Assign(assign) => self.check_mutation(&assign.left, false),
            Expr::Binary(binary) if is_compound_assignment(&binary.op) => {
                self.check_mutation(&binary.left, false);
            }
            Expr::Reference(reference) if reference.mutability.is_some() => {
                self.check_mutation(&reference.expr, true);
            }
            Expr::Reference(reference) if self.shared_capture(&reference.expr).is_some() => {
                *expr = (*reference.expr).clone();
                return;
            }
            _ => {}
        }
        match expr {
            Expr::MethodCall(call) => {
                self.visit_auto_deref(&mut call.receiver);
                for arg in &mut call.args {
                    self.visit_expr_mut(arg);
                }
            }
            Expr::Field(field) => self.visit_auto_deref(&mut field.base),
            Expr::Index(index) => {
                self.visit_auto_deref(&mut index.expr);
                self.visit_expr_mut(&mut index.index);
            }
            Expr::Call(call) => {
                self.visit_auto_deref(&mut call.func);
                for arg in &mut call.args {
                    self.visit_expr_mut(arg);
                }
            }
            Expr::Struct(node) => {
                for field in &mut node.fields {
                    if field.colon_token.is_none() && self.is_capture(&field.expr) {
                        field.colon_token = Some(syn::Token![:](field.member_span()));
                    }
                    self.visit_expr_mut(&mut field.expr);
                }
                if let Some(rest) = &mut node.rest {
                    self.visit_expr_mut(rest);
                }
            }
            Expr::Closure(closure) => {
                let inputs: Vec<Pat> = closure.inputs.iter().cloned().collect();
                self.shadowed(&inputs, |this| this.visit_expr_mut(&mut closure.body));
            }
            Expr::Match(node) => {
                self.visit_expr_mut(&mut node.expr);
                for arm in &mut node.arms {
                    let pat = arm.pat.clone();
                    self.shadowed([&pat], |this| {
                        if let Pat::Guard(guard) = &mut arm.pat {
                            this.visit_expr_mut(&mut guard.guard);
                        }
                        this.visit_expr_mut(&mut arm.body);
                    });
                }
            }
            Expr::If(node) => {
                self.visit_expr_mut(&mut node.cond);
                let lets = let_patterns(&node.cond);
                self.shadowed(&lets, |this| this.visit_block_mut(&mut node.then_branch));
                if let Some((_, else_branch)) = &mut node.else_branch {
                    self.visit_expr_mut(else_branch);
                }
            }
            Expr::While(node) => {
                self.visit_expr_mut(&mut node.cond);
                let lets = let_patterns(&node.cond);
                self.shadowed(&lets, |this| this.visit_block_mut(&mut node.body));
            }
            Expr::ForLoop(node) => {
                self.visit_expr_mut(&mut node.expr);
                let pat = (*node.pat).clone();
                self.shadowed([&pat], |this| this.visit_block_mut(&mut node.body));
            }
            _ => visit_mut::visit_expr_mut(self, expr),
        }
    }

    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        let saved = self.active.clone();
        for stmt in &mut block.stmts {
            match stmt {
                Stmt::Local(local) => {
                    if let Some(init) = &mut local.init {
                        self.visit_expr_mut(&mut init.expr);
                        if let Some((_, diverge)) = &mut init.diverge {
                            self.visit_expr_mut(diverge);
                        }
                    }
                    for name in bound_names(&local.pat) {
                        self.active.remove(&name);
                    }
                }
                Stmt::Item(_) => {}
                Stmt::Expr(expr, _) => self.visit_expr_mut(expr),
                Stmt::Macro(node) => self.visit_macro_mut(&mut node.mac),
            }
        }
        self.active = saved;
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        mac.tokens = self.rewrite_tokens(mac.tokens.clone());
    }

    // Nested items cannot see the closure's locals; patterns and types hold no uses.
    fn visit_item_mut(&mut self, _: &mut syn::Item) {}

    fn visit_pat_mut(&mut self, _: &mut Pat) {}

    fn visit_type_mut(&mut self, _: &mut syn::Type) {}
}

trait MemberSpan {
    fn member_span(&self) -> proc_macro2::Span;
}

impl MemberSpan for syn::FieldValue {
    fn member_span(&self) -> proc_macro2::Span {
        match &self.member {
            syn::Member::Named(ident) => ident.span(),
            syn::Member::Unnamed(index) => index.span,
        }
    }
}

fn is_compound_assignment(op: &syn::BinOp) -> bool {
    use syn::BinOp::{
        AddAssign, BitAndAssign, BitOrAssign, BitXorAssign, DivAssign, MulAssign, RemAssign,
        ShlAssign, ShrAssign, SubAssign,
    };
    matches!(
        op,
        AddAssign(_)
            | SubAssign(_)
            | MulAssign(_)
            | DivAssign(_)
            | RemAssign(_)
            | BitXorAssign(_)
            | BitAndAssign(_)
            | BitOrAssign(_)
            | ShlAssign(_)
            | ShrAssign(_)
    )
}

/// The patterns of the `let`s in an `if`/`while` condition (`let` chains included).
fn let_patterns(cond: &Expr) -> Vec<Pat> {
    match cond {
        Expr::Let(node) => vec![(*node.pat).clone()],
        Expr::Binary(node) if matches!(node.op, syn::BinOp::And(_)) => {
            let mut pats = let_patterns(&node.left);
            pats.extend(let_patterns(&node.right));
            pats
        }
        Expr::Paren(node) => let_patterns(&node.expr),
        _ => Vec::new(),
    }
}

/// Every name a pattern binds.
pub(crate) fn bound_names(pat: &Pat) -> Vec<String> {
    let mut names = Vec::new();
    collect_names(pat, &mut names);
    names
}

fn collect_names(pat: &Pat, names: &mut Vec<String>) {
    match pat {
        Pat::Ident(node) => {
            names.push(node.ident.to_string());
            if let Some((_, sub)) = &node.subpat {
                collect_names(sub, names);
            }
        }
        Pat::Guard(node) => collect_names(&node.pat, names),
        Pat::Or(node) => node
            .cases
            .iter()
            .for_each(|case| collect_names(case, names)),
        Pat::Paren(node) => collect_names(&node.pat, names),
        Pat::Reference(node) => collect_names(&node.pat, names),
        Pat::Slice(node) => node
            .elems
            .iter()
            .for_each(|elem| collect_names(elem, names)),
        Pat::Struct(node) => node
            .fields
            .iter()
            .for_each(|field| collect_names(&field.pat, names)),
        Pat::Tuple(node) => node
            .elems
            .iter()
            .for_each(|elem| collect_names(elem, names)),
        Pat::TupleStruct(node) => node
            .elems
            .iter()
            .for_each(|elem| collect_names(elem, names)),
        Pat::Type(node) => collect_names(&node.pat, names),
        _ => {}
    }
}
