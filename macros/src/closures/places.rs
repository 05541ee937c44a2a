//! Turns each use of a captured name in the body into a place, so the body writes `n += x`
//! as in a native closure while the generated code binds `n` as a reference to the state.

use std::collections::HashSet;

use proc_macro2::{Delimiter, Group, Ident, Punct, Spacing, TokenStream, TokenTree};
use quote::ToTokens;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Expr, Pat, Stmt, Token};

use super::parse::ClosureInput;
use crate::common::errors::Errors;
use crate::common::walk::{self, Pass};

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

    /// Comma-separated macro arguments, each an expression or a named argument.
    fn visit_macro_args(&mut self, args: &mut Punctuated<Expr, Token![,]>) {
        for arg in args {
            match arg {
                // A named argument, `format!("{x}", x = n)`: the name is not a capture.
                Expr::Assign(assign) if matches!(&*assign.left, Expr::Path(_)) => {
                    self.visit_expr_mut(&mut assign.right);
                }
                other => self.visit_expr_mut(other),
            }
        }
    }

    /// `EXPR, PATTERN [if GUARD] [, ARGS…]`: the pattern's names shadow in the guard only.
    fn visit_matches_shape(&mut self, shape: &mut MatchesShape) {
        self.visit_expr_mut(&mut shape.expr);
        let pat = shape.pat.clone();
        self.shadowed([&pat], |this| {
            if let Some((_, guard)) = &mut shape.guard {
                this.visit_expr_mut(guard);
            }
        });
        if let Some((_, rest)) = &mut shape.rest {
            self.visit_macro_args(rest);
        }
    }

    // Input:  an `async_closure!` inside the body: `{ let m = n + 1; } async |x: u32| x + m + n`
    // Output: `{ let m = *n + 1; } async |x: u32| x + m + *n`: each capture value sees the
    //         captures before it, and the inner closure's own captures and arguments shadow
    //         the outer ones in its body.
    fn visit_nested_closure(&mut self, closure: &mut ClosureInput) {
        let saved = self.active.clone();
        for capture in &mut closure.captures {
            self.visit_expr_mut(&mut capture.expr);
            self.active.remove(&capture.name.to_string());
        }
        let pats: Vec<Pat> = closure.args.iter().map(|arg| arg.pat.clone()).collect();
        self.shadowed(&pats, |this| this.visit_expr_mut(&mut closure.body));
        self.active = saved;
    }

    // Input:  `let Some(n) = a && n > 0 && let Some(m) = f(n)`, then the branch
    // Output: the same, each operand visited with the names bound by the `let`s before it
    //         shadowed, and the branch with all of them shadowed (a `let` chain binds left to
    //         right).
    fn visit_condition(&mut self, cond: &mut Expr, then: &mut dyn FnMut(&mut Self)) {
        match cond {
            Expr::Binary(node) if matches!(node.op, syn::BinOp::And(_)) => {
                let right = &mut node.right;
                self.visit_condition(&mut node.left, &mut |this| {
                    this.visit_condition(right, then);
                });
            }
            Expr::Let(node) => {
                self.visit_expr_mut(&mut node.expr);
                let pat = (*node.pat).clone();
                self.shadowed([&pat], |this| then(this));
            }
            other => {
                self.visit_expr_mut(other);
                then(self);
            }
        }
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
/// a lifetime or label (`'n`), a field or method name (`x.n`), a path segment (`a::n`, `n::b`), a macro name (`n!`), a
/// named argument or field (`n = …`, `n: …`), or a receiver that auto-derefs (`n.len()`,
/// `n[0]`, `n(..)`, `n?`).
fn reads_as_value(trees: &[TokenTree], index: usize) -> bool {
    let punct_at = |offset: usize| match index.checked_sub(offset).and_then(|i| trees.get(i)) {
        Some(TokenTree::Punct(punct)) => Some(punct.clone()),
        _ => None,
    };
    if let Some(previous) = punct_at(1) {
        // `'n` is a lifetime or a label (one `'` joint with the name), never a value.
        if previous.as_char() == '\'' {
            return false;
        }
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

impl Pass for PlaceRewriter {
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
                let then_branch = &mut node.then_branch;
                self.visit_condition(&mut node.cond, &mut |this| {
                    this.visit_block_mut(then_branch);
                });
                if let Some((_, else_branch)) = &mut node.else_branch {
                    self.visit_expr_mut(else_branch);
                }
            }
            Expr::While(node) => {
                let body = &mut node.body;
                self.visit_condition(&mut node.cond, &mut |this| this.visit_block_mut(body));
            }
            Expr::ForLoop(node) => {
                self.visit_expr_mut(&mut node.expr);
                let pat = (*node.pat).clone();
                self.shadowed([&pat], |this| this.visit_block_mut(&mut node.body));
            }
            _ => walk::children(self, expr),
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

    // Input: `assert_eq!(n, 2, "{name}")`, `matches!(x, Some(n) if n > 0)`, `vec![n; 3]`
    // Output: `assert_eq!(*n, 2, "{name}")`, unchanged (the pattern binds `n`), `vec![*n; 3]`
    // Arguments that parse as comma-separated expressions (most macros: `format!`, `assert!`,
    // `dbg!`, `join!`) or as `matches!`'s `EXPR, PATTERN [if GUARD]` are rewritten as
    // expressions, so patterns, closures and struct shorthands in them behave as in the body;
    // other macros' tokens are rewritten token by token.
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        use syn::parse::Parser;
        let tokens = mac.tokens.clone();
        let name = mac
            .path
            .segments
            .last()
            .map(|segment| segment.ident.to_string())
            .unwrap_or_default();
        // `matches!(x, Some(n))` would also parse as two expressions.
        let takes_a_pattern = matches!(
            name.as_str(),
            "matches" | "assert_matches" | "debug_assert_matches"
        );
        let nested_closure = (name == "async_closure")
            .then(|| ClosureInput::parse.parse2(tokens.clone()).ok())
            .flatten()
            .filter(|closure| closure.recovered.is_none());
        let pattern_shape = takes_a_pattern
            .then(|| MatchesShape::parse.parse2(tokens.clone()).ok())
            .flatten();
        if let Some(mut closure) = nested_closure {
            self.visit_nested_closure(&mut closure);
            mac.tokens = closure.into_token_stream();
        } else if let Some(mut shape) = pattern_shape {
            self.visit_matches_shape(&mut shape);
            mac.tokens = shape.into_token_stream();
        } else if let Ok(mut args) =
            Punctuated::<Expr, Token![,]>::parse_terminated.parse2(tokens.clone())
        {
            self.visit_macro_args(&mut args);
            mac.tokens = args.into_token_stream();
        } else if let Ok(mut shape) = MatchesShape::parse.parse2(tokens.clone()) {
            self.visit_matches_shape(&mut shape);
            mac.tokens = shape.into_token_stream();
        } else {
            mac.tokens = self.rewrite_tokens(tokens);
        }
    }

    // Nested items cannot see the closure's locals; patterns and types hold no uses.
    fn visit_item_mut(&mut self, _: &mut syn::Item) {}

    fn visit_pat_mut(&mut self, _: &mut Pat) {}

    fn visit_type_mut(&mut self, _: &mut syn::Type) {}
}

/// The arguments of `matches!`-like macros: `EXPR, PATTERN [if GUARD] [, ARGS…]` (the
/// message arguments of `assert_matches!`).
struct MatchesShape {
    expr: Expr,
    comma: Token![,],
    pat: Pat,
    guard: Option<(Token![if], Expr)>,
    rest: Option<(Token![,], Punctuated<Expr, Token![,]>)>,
}

impl Parse for MatchesShape {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let expr = input.parse()?;
        let comma = input.parse()?;
        let pat = Pat::parse_multi_with_leading_vert(input)?;
        let guard = if input.peek(Token![if]) {
            Some((input.parse()?, input.parse()?))
        } else {
            None
        };
        let rest = if input.is_empty() {
            None
        } else {
            Some((input.parse()?, Punctuated::parse_terminated(input)?))
        };
        Ok(MatchesShape {
            expr,
            comma,
            pat,
            guard,
            rest,
        })
    }
}

impl ToTokens for MatchesShape {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        self.expr.to_tokens(tokens);
        self.comma.to_tokens(tokens);
        self.pat.to_tokens(tokens);
        if let Some((if_token, guard)) = &self.guard {
            if_token.to_tokens(tokens);
            guard.to_tokens(tokens);
        }
        if let Some((comma, rest)) = &self.rest {
            comma.to_tokens(tokens);
            rest.to_tokens(tokens);
        }
    }
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
