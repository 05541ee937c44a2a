//! The one builder of an `async fn`'s body as a future, for every macro that turns an
//! `async fn` into a plain fn returning one: boxed mode, native mode's default bodies, the
//! generator attributes (`#[async_stream]`, `#[async_try_stream]`) and, for the return-type
//! guard only, `#[async_scope]`.
//!
//! It does three jobs, each the way a native `async fn` does it:
//! * [`move_arguments`]: every argument is moved into the future (and dropped when it ends,
//!   after the body's locals), patterns are bound inside it, and an argument bound to `_` or of
//!   a reference type is left out unless the body uses it (async-trait's rule: `_: &T` then
//!   needs no `T: Sync`);
//! * [`return_guard`]: the future's output type is the declared one even when the body
//!   `return`s early (`return &Thing;` coerces to `&dyn Trait`, `?` converts with `From`);
//! * [`future_block`]: the user's statements become the future's own, so that no lint about
//!   braces (`{ 0 }`), unit values or bindings fires on any body shape.
//!
//! Input:  `async fn f(&self, x: T, mut y: U, (a, ref mut b): (u8, u8), _: V, r: &W) -> R { BODY }`
//! Output, the future (with [`SelfBinding::Renamed`], boxed mode):
//! ```text
//! async move {
//!     if let Some(__ret) = None::<R> { return __ret; }        // the guard
//!     let __async_ext_self = self;                             // `let _ = &self;` when captured
//!     let x = x; let mut y = y;
//!     let mut __arg3 = __arg3; let (a, ref mut b) = __arg3;
//!     let __arg4 = __arg4;
//!     BODY's statements (with `self` renamed)                  // `r` is captured if used
//! }
//! ```
//! and the signature `(&self, x: T, y: U, __arg3: (u8, u8), __arg4: V, r: &W)`.

use proc_macro2::{Delimiter, Group, Span, TokenStream, TokenTree};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{
    Attribute, Block, ExprPath, FnArg, Ident, Item, Macro, Pat, PatIdent, ReceiverKind, ReturnType,
    Signature, Token, Type,
};

use super::walk::{self, Pass};

/// How `self` enters the future.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum SelfBinding {
    /// `let __async_ext_self = self;`, every `self` of the body renamed: boxed mode, as
    /// async-trait does (a trait from a `macro_rules!` hands in `self` with another hygiene
    /// context, which a renamed binding does not care about).
    Renamed,
    /// `let _ = &self;`: the body keeps its `self`, which the `async move` then owns.
    Captured,
}

/// The name an argument bound by a pattern gets in the signature (where patterns are not
/// allowed without a body), for the body to bind the pattern from.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum HiddenNames {
    /// `__async_ext_arg2`, at the user's pattern: boxed mode and the generator attributes.
    AtPattern,
    /// `__arg2`, which rustdoc shows: native mode and its companion.
    Short,
}

impl HiddenNames {
    /// The hidden name of argument `index`; mixed-site, so it cannot collide with a user's
    /// local variable.
    pub(crate) fn name(self, index: usize, pat: &Pat) -> Ident {
        match self {
            HiddenNames::AtPattern => format_ident!(
                "__async_ext_arg{}",
                index,
                span = pat.span().resolved_at(Span::mixed_site())
            ),
            HiddenNames::Short => format_ident!("__arg{}", index, span = Span::mixed_site()),
        }
    }
}

/// The statements that move a fn's arguments into its future, from [`move_arguments`].
pub(crate) struct MovedArguments {
    bindings: Vec<TokenStream>,
    /// `self` is bound to [`renamed_self`]: the body must be renamed to match.
    renames_self: bool,
}

// Input:  `(mut self, mut x: T, (a, b): (u8, u8), _: V, r: &W)`
// Output: `(self, x: T, __arg2: (u8, u8), __arg3: V, r: &W)`, and the `let`s that open the
//         future (see the module's sketch).
/// Rewrites the arguments of a fn with a body so that its future owns them, and returns the
/// statements that open the future. `mut` moves from the signature into the future.
pub(crate) fn move_arguments(
    sig: &mut Signature,
    self_binding: SelfBinding,
    names: HiddenNames,
) -> MovedArguments {
    let mut bindings = Vec::new();
    let mut renames_self = false;
    for (index, input) in sig.inputs.iter_mut().enumerate() {
        match input {
            FnArg::Receiver(receiver) => {
                let self_token = receiver.self_token;
                bindings.push(match self_binding {
                    SelfBinding::Renamed => {
                        renames_self = true;
                        let renamed = renamed_self(self_token.span);
                        // `&mut self` is bound `mut` too, so that `&mut self` (`let _ = &mut
                        // self;`) works in the body; `unused_mut` when the body does not.
                        let mutability = match &receiver.kind {
                            ReceiverKind::Reference(_, _, Some(mutability)) => {
                                Some(Token![mut](mutability.span))
                            }
                            ReceiverKind::Reference(..) => None,
                            _ => receiver.mutability.take(),
                        };
                        quote! {
                            #[allow(unused_mut)]
                            let #mutability #renamed = #self_token;
                        }
                    }
                    // `mut self` stays in the signature: `self` cannot be rebound.
                    SelfBinding::Captured => quote!(let _ = &#self_token;),
                });
            }
            FnArg::Typed(argument) => {
                if is_reference(&argument.ty) {
                    // A reference (`r: &W`, `_: &T`, `(a, b): &(u8, u8)`) stays in the
                    // signature, pattern and all, and is captured only if the body uses it:
                    // dropping a reference does nothing, and what is bound to `_` then does
                    // not make the future need `W: Sync` (async-trait's rule).
                    continue;
                }
                let cfgs: Vec<Attribute> = argument
                    .attrs
                    .iter()
                    .filter(|attr| attr.path().is_ident("cfg"))
                    .cloned()
                    .collect();
                let statements = match &mut *argument.pat {
                    Pat::Ident(pat) if pat.by_ref.is_none() && pat.subpat.is_none() => {
                        let mutability = pat.mutability.take();
                        let ident = &pat.ident;
                        vec![quote!(let #mutability #ident = #ident;)]
                    }
                    pat => {
                        let hidden = names.name(index, pat);
                        let user_pat = std::mem::replace(pat, plain_binding(hidden.clone()));
                        if let Pat::Wild(_) = user_pat {
                            vec![quote!(let #hidden = #hidden;)]
                        } else {
                            // Move the whole argument in first: `let (a, _) = __arg2;` alone
                            // would capture only `__arg2.0` (async blocks capture disjoint
                            // fields) and drop the rest when the fn is called, not when the
                            // future ends. `mut` when the pattern borrows from it mutably.
                            let mutability = borrows_mutably(&user_pat).then(|| quote!(mut));
                            vec![
                                quote!(let #mutability #hidden = #hidden;),
                                quote!(let #user_pat = #hidden;),
                            ]
                        }
                    }
                };
                let lints = argument_lints();
                for statement in statements {
                    bindings.push(quote! {
                        #(#cfgs)*
                        #[allow(#lints)]
                        #statement
                    });
                }
            }
        }
    }
    MovedArguments {
        bindings,
        renames_self,
    }
}

/// The lints a moved argument's `let` can trip, and the user code that trips each (the same
/// code in a native `async fn` trips none of them). Also allowed where an `async_closure!`
/// binds its arguments' patterns.
pub(crate) fn argument_lints() -> TokenStream {
    quote! {
            // `x: T`: the future's `let x = x;` rebinds the argument as it is.
            clippy::redundant_locals,
            // `x: T` and `(a, b): (A, B)`, under these restriction lints a user may enable.
            clippy::shadow_same,
            clippy::shadow_unrelated,
            // `_unused: T`: `let _unused = _unused;` uses the binding, and binds it unused.
            clippy::used_underscore_binding,
            clippy::no_effect_underscore_binding,
            // `ref x: T`, `(ref a, b): (A, B)`: the pattern's `ref` moves into a `let`.
        clippy::toplevel_ref_arg,
    }
}

/// Whether `ty` is a reference type (`&T`, `&'a mut T`, also in parentheses or a macro's
/// invisible group).
fn is_reference(ty: &Type) -> bool {
    match ty {
        Type::Reference(_) => true,
        Type::Paren(paren) => is_reference(&paren.elem),
        Type::Group(group) => is_reference(&group.elem),
        _ => false,
    }
}

/// Whether `pat` binds something by `ref mut`, borrowing the value it destructures mutably.
fn borrows_mutably(pat: &Pat) -> bool {
    struct Finder(bool);
    impl Pass for Finder {
        fn visit_pat_ident_mut(&mut self, pat: &mut PatIdent) {
            self.0 |= pat.by_ref.is_some() && pat.mutability.is_some();
            walk::children(self, pat);
        }
    }
    let mut finder = Finder(false);
    walk::node(&mut finder, &mut pat.clone());
    finder.0
}

/// `ident` as a pattern that binds the whole argument (no `mut`, `ref` or `@ subpattern`).
pub(crate) fn plain_binding(ident: Ident) -> Pat {
    Pat::Ident(PatIdent {
        attrs: Vec::new(),
        by_ref: None,
        mutability: None,
        ident,
        subpat: None,
    })
}

/// The declared output with each `impl Trait` as `_` (the body cannot name it): `()` without
/// one.
pub(crate) fn declared_output(output: &ReturnType) -> Type {
    match output {
        ReturnType::Default => syn::parse_quote!(()),
        ReturnType::Type(_, ty) => {
            let mut ty = (**ty).clone();
            walk::node(&mut ImplTraitToInfer, &mut ty);
            ty
        }
    }
}

/// `impl Trait` as `_`, for a type written inside a body.
pub(crate) struct ImplTraitToInfer;

impl Pass for ImplTraitToInfer {
    fn visit_type_mut(&mut self, ty: &mut Type) {
        if let Type::ImplTrait(impl_trait) = ty {
            *ty = Type::Infer(syn::TypeInfer {
                attrs: Vec::new(),
                underscore_token: Token![_](impl_trait.impl_token.span),
            });
            return;
        }
        walk::children(self, ty);
    }
}

// Input:  `-> R`
// Output: `if let Some(__async_ext_ret) = None::<R> { return __async_ext_ret; }`
/// The statement that opens a future's body so that its output type is the declared one: the
/// first `return` an async block sees fixes its output type, so one of type `R` comes first,
/// unreachable. Then, as in an `async fn`, a `return` in the body is checked against `R`
/// (`return &Thing;` coerces to `&dyn Trait`) and `?` keeps its `From` conversion.
pub(crate) fn return_guard(output: &ReturnType) -> TokenStream {
    let declared = declared_output(output);
    let ret = Ident::new("__async_ext_ret", Span::mixed_site());
    quote! {
        if let ::core::option::Option::Some(#ret) = ::core::option::Option::None::<#declared> {
            #[allow(unreachable_code)]
            return #ret;
        }
    }
}

/// The body of the future, between its braces: the guard (unless `guard` is `None`), the
/// moved arguments, then the user's statements themselves (`self` renamed if it was), and
/// `tail` after them if given.
///
/// The user's block is not nested as a block: `{ 0 }` as a block's last expression is
/// rustc's `unused_braces`, and a `let` around it trips clippy's unit lints on unit bodies.
/// Its statements run in the future's own scope, after the arguments were bound, so they drop
/// before the arguments as in an `async fn`.
pub(crate) fn future_block(
    guard: Option<&ReturnType>,
    moved: MovedArguments,
    mut block: Block,
    tail: Option<TokenStream>,
) -> Group {
    if moved.renames_self {
        walk::node(&mut RenameSelf, &mut block);
    }
    let guard = guard.map(return_guard);
    let bindings = &moved.bindings;
    let stmts = &block.stmts;
    let mut group = Group::new(
        Delimiter::Brace,
        quote! {
            #guard
            #(#bindings)*
            #(#stmts)*
            #tail
        },
    );
    // At the user's braces (so errors about the block land there), resolved in the expansion
    // (so lints that look at the user's braces know these are not theirs).
    group.set_span(
        block
            .brace_token
            .span
            .join()
            .resolved_at(Span::mixed_site()),
    );
    group
}

/// The allow a fn whose body ends in the future needs: a fn declared to return a future
/// (`async fn later(&self) -> Ready<u8>`) makes an async block yield one, which clippy's
/// `async_yields_async` reports for an async block and not for an `async fn`. It can only sit
/// on the fn: the async block is the fn's last expression, the shape `#[tracing::instrument]`
/// recognises.
pub(crate) fn future_fn_allows() -> Attribute {
    syn::parse_quote!(#[allow(clippy::async_yields_async)])
}

/// `async move { … }` from [`future_block`], with its `async move` at `async_span` (the
/// user's `async`), where rustc reports what is wrong with the future.
pub(crate) fn async_move(async_span: Span, body: Group) -> TokenStream {
    let keywords = quote_spanned!(async_span=> async move);
    quote!(#keywords #body)
}

/// The hidden name `self` is bound to inside the future. Mixed-site resolution: it cannot
/// collide with a user's local variable, and it resolves the same way for every `self` of the
/// item, also when the trait comes from a `macro_rules!`.
pub(crate) fn renamed_self(self_span: Span) -> Ident {
    Ident::new(
        "__async_ext_self",
        self_span.resolved_at(Span::mixed_site()),
    )
}

/// Replaces every `self` value in a body by [`renamed_self`] (keeping each token's location),
/// including inside macro calls such as `println!("{}", self.x)`, but not in nested items,
/// which have their own `self`, nor in `self::path`s.
struct RenameSelf;

impl RenameSelf {
    fn rename(ident: &mut Ident) {
        if ident == "self" {
            *ident = renamed_self(ident.span());
        }
    }

    fn rename_tokens(tokens: TokenStream) -> TokenStream {
        let mut trees = tokens.into_iter().peekable();
        let mut out = Vec::new();
        while let Some(tree) = trees.next() {
            match tree {
                TokenTree::Ident(mut ident) => {
                    // `self::module` stays a path.
                    let is_path =
                        matches!(trees.peek(), Some(TokenTree::Punct(p)) if p.as_char() == ':');
                    if !is_path {
                        Self::rename(&mut ident);
                    }
                    out.push(TokenTree::Ident(ident));
                }
                TokenTree::Group(group) => {
                    let mut renamed =
                        Group::new(group.delimiter(), Self::rename_tokens(group.stream()));
                    renamed.set_span(group.span());
                    out.push(TokenTree::Group(renamed));
                }
                other => out.push(other),
            }
        }
        out.into_iter().collect()
    }
}

impl Pass for RenameSelf {
    fn visit_expr_path_mut(&mut self, expr: &mut ExprPath) {
        let single = expr.qself.is_none() && expr.path.segments.len() == 1;
        if let Some(segment) = expr.path.segments.first_mut().filter(|_| single) {
            Self::rename(&mut segment.ident);
        }
        walk::children(self, expr);
    }

    fn visit_item_mut(&mut self, item: &mut Item) {
        // Nested items have their own `self`, except that a local `macro_rules!` may refer
        // to ours, and `select!`-like macros look like items but are expressions.
        if let Item::Macro(item) = item {
            let is_macro_rules = item.mac.path.is_ident("macro_rules");
            let is_select = item
                .mac
                .path
                .segments
                .last()
                .is_some_and(|segment| segment.ident == "select");
            if is_macro_rules || is_select {
                self.visit_macro_mut(&mut item.mac);
            }
        }
    }

    fn visit_macro_mut(&mut self, mac: &mut Macro) {
        if !contains_fn(&mac.tokens) {
            mac.tokens = Self::rename_tokens(std::mem::take(&mut mac.tokens));
        }
    }
}

/// A macro whose input defines a fn probably has its own `self`; leave it alone.
pub(crate) fn contains_fn(tokens: &TokenStream) -> bool {
    tokens.clone().into_iter().any(|tree| match tree {
        TokenTree::Ident(ident) => ident == "fn",
        TokenTree::Group(group) => contains_fn(&group.stream()),
        _ => false,
    })
}
