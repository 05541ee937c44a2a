//! Lifetimes of a method signature: naming the elided ones (`&self`, `&str`, `Ref<'_, T>`)
//! so they can be bounded, and collecting the named ones.
//!
//! Shared by boxed and native mode.

use proc_macro2::Span;
use syn::visit_mut::{self, VisitMut};
use syn::{
    Expr, FnArg, GenericArgument, Lifetime, ReceiverKind, ReturnType, Signature, Token, Type,
    TypeImplTrait, TypeParamBound, TypeParen, TypeReference, token,
};

/// The lifetimes of a signature's inputs, after [`name_elided_input_lifetimes`].
#[derive(Default)]
pub(crate) struct InputLifetimes {
    /// The names given to elided lifetimes, in order: `'life0`, `'life1`, …
    pub(crate) elided: Vec<Lifetime>,
    /// The lifetimes the user named, in order of appearance (may repeat).
    pub(crate) explicit: Vec<Lifetime>,
}

/// Input: `fn f(&self, x: &str, r: Ref<'_, u8>, y: &'a u8)`
/// Output: `fn f(&'life0 self, x: &'life1 str, r: Ref<'life2, u8>, y: &'a u8)`, returning
/// `elided = ['life0, 'life1, 'life2]`, `explicit = ['a]`. Each new name keeps the span of
/// the `&` or `'_` it replaces. Lifetimes elided entirely in paths (`Ref<u8>`) stay elided,
/// as in async-trait.
pub(crate) fn name_elided_input_lifetimes(sig: &mut Signature) -> InputLifetimes {
    let mut namer = NameElided::default();
    for input in &mut sig.inputs {
        match input {
            FnArg::Receiver(receiver) => namer.visit_receiver_kind_mut(&mut receiver.kind),
            FnArg::Typed(argument) => namer.visit_type_mut(&mut argument.ty),
        }
    }
    namer.lifetimes
}

#[derive(Default)]
struct NameElided {
    lifetimes: InputLifetimes,
}

impl NameElided {
    fn next_name(&mut self, span: Span) -> Lifetime {
        let name = format!("'life{}", self.lifetimes.elided.len());
        let lifetime = Lifetime::new(&name, span);
        self.lifetimes.elided.push(lifetime.clone());
        lifetime
    }

    fn visit_reference_lifetime(&mut self, and_token: Token![&], lifetime: &mut Option<Lifetime>) {
        match lifetime {
            None => *lifetime = Some(self.next_name(and_token.span)),
            Some(lifetime) => self.visit_named_or_underscore(lifetime),
        }
    }

    fn visit_named_or_underscore(&mut self, lifetime: &mut Lifetime) {
        if lifetime.ident == "_" {
            *lifetime = self.next_name(lifetime.span());
        } else if lifetime.ident != "static" {
            self.lifetimes.explicit.push(lifetime.clone());
        }
    }
}

impl VisitMut for NameElided {
    fn visit_receiver_kind_mut(&mut self, kind: &mut ReceiverKind) {
        match kind {
            ReceiverKind::Reference(and_token, lifetime, _) => {
                self.visit_reference_lifetime(*and_token, lifetime);
            }
            ReceiverKind::Typed(_, ty) => self.visit_type_mut(ty),
            _ => {}
        }
    }

    fn visit_type_reference_mut(&mut self, ty: &mut TypeReference) {
        self.visit_reference_lifetime(ty.and_token, &mut ty.lifetime);
        visit_mut::visit_type_reference_mut(self, ty);
    }

    fn visit_generic_argument_mut(&mut self, argument: &mut GenericArgument) {
        if let GenericArgument::Lifetime(lifetime) = argument {
            self.visit_named_or_underscore(lifetime);
        }
        visit_mut::visit_generic_argument_mut(self, argument);
    }

    fn visit_type_fn_ptr_mut(&mut self, _: &mut syn::TypeFnPtr) {
        // `fn(&u8)` has its own higher-ranked lifetimes.
    }

    fn visit_parenthesized_generic_arguments_mut(
        &mut self,
        _: &mut syn::ParenthesizedGenericArguments,
    ) {
        // `impl Fn(&u8)`: the elided lifetime is higher-ranked, not the method's.
    }
}

/// Input: `x: impl AsRef<str>`, `y: &impl Display`
/// Output: `x: impl 'async_trait + AsRef<str>`, `y: &(impl 'async_trait + Display)`: an
/// `impl Trait` argument is a hidden type parameter, which the boxed future captures.
pub(crate) fn bound_impl_trait_arguments(ty: &mut Type, bound: &Lifetime) {
    BoundImplTrait { bound }.visit_type_mut(ty);
}

struct BoundImplTrait<'a> {
    bound: &'a Lifetime,
}

impl VisitMut for BoundImplTrait<'_> {
    fn visit_type_impl_trait_mut(&mut self, ty: &mut TypeImplTrait) {
        let mut bound = self.bound.clone();
        bound.apostrophe = ty.impl_token.span;
        ty.bounds.insert(0, TypeParamBound::Lifetime(bound));
        visit_mut::visit_type_impl_trait_mut(self, ty);
    }

    fn visit_type_reference_mut(&mut self, ty: &mut TypeReference) {
        parenthesize_impl_trait(&mut ty.elem, ty.and_token.span);
        visit_mut::visit_type_reference_mut(self, ty);
    }

    fn visit_type_ptr_mut(&mut self, ty: &mut syn::TypePtr) {
        parenthesize_impl_trait(&mut ty.elem, ty.star_token.span);
        visit_mut::visit_type_ptr_mut(self, ty);
    }

    fn visit_type_fn_ptr_mut(&mut self, ty: &mut syn::TypeFnPtr) {
        if let ReturnType::Type(arrow, output) = &mut ty.output {
            parenthesize_impl_trait(output, arrow.spans[0]);
        }
        visit_mut::visit_type_fn_ptr_mut(self, ty);
    }

    fn visit_expr_mut(&mut self, _: &mut Expr) {
        // `[u8; { fn inner(_: impl Trait) {} 0 }]`: not ours.
    }
}

/// `&impl A + B` would parse as `(&impl A) + B` once a bound is added: parenthesize.
fn parenthesize_impl_trait(elem: &mut Type, span: Span) {
    if let Type::ImplTrait(_) = elem {
        let inner = std::mem::replace(elem, Type::Verbatim(proc_macro2::TokenStream::new()));
        *elem = Type::Paren(TypeParen {
            attrs: Vec::new(),
            paren_token: token::Paren(span),
            elem: Box::new(inner),
        });
    }
}
