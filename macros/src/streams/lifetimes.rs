//! Names the elided lifetimes of a signature's inputs, so the returned stream can name them.
//!
//! Input:  `fn f(&self, name: &str, list: Ref<'_, u8>, call: impl Fn(&u8))`
//! Output: `fn f(&'__life0 self, name: &'__life1 str, list: Ref<'__life2, u8>, call: impl Fn(&u8))`
//!
//! `fn(&u8)` pointers and `Fn(&u8)` sugar have their own elision scope and are left alone.

use proc_macro2::Span;
use syn::visit_mut::{self, VisitMut};
use syn::{FnArg, Lifetime, ReceiverKind, Signature};

/// Names every elided input lifetime of `sig` and returns the new names, in order.
pub(crate) fn name_elided(sig: &mut Signature) -> Vec<Lifetime> {
    let mut namer = ElidedLifetimes::default();
    for arg in &mut sig.inputs {
        match arg {
            FnArg::Receiver(receiver) => match &mut receiver.kind {
                ReceiverKind::Reference(and, lifetime @ None, _) => {
                    *lifetime = Some(namer.next(and.span));
                }
                ReceiverKind::Reference(_, Some(lifetime), _) => namer.visit_lifetime_mut(lifetime),
                ReceiverKind::Typed(_, ty) => namer.visit_type_mut(ty),
                _ => {}
            },
            FnArg::Typed(pat_type) => namer.visit_type_mut(&mut pat_type.ty),
        }
    }
    namer.named
}

#[derive(Default)]
struct ElidedLifetimes {
    named: Vec<Lifetime>,
}

impl ElidedLifetimes {
    fn next(&mut self, span: Span) -> Lifetime {
        let lifetime = Lifetime::new(&format!("'__life{}", self.named.len()), span);
        self.named.push(lifetime.clone());
        lifetime
    }
}

impl VisitMut for ElidedLifetimes {
    fn visit_type_reference_mut(&mut self, reference: &mut syn::TypeReference) {
        if reference.lifetime.is_none() {
            reference.lifetime = Some(self.next(reference.and_token.span));
        }
        visit_mut::visit_type_reference_mut(self, reference);
    }

    fn visit_lifetime_mut(&mut self, lifetime: &mut Lifetime) {
        if lifetime.ident == "_" {
            *lifetime = self.next(lifetime.span());
        }
    }

    fn visit_type_fn_ptr_mut(&mut self, _: &mut syn::TypeFnPtr) {}

    fn visit_parenthesized_generic_arguments_mut(
        &mut self,
        _: &mut syn::ParenthesizedGenericArguments,
    ) {
    }
}

/// The lifetime an elided lifetime of the item type stands for, by the output elision rules:
/// `&self`'s, or else the only lifetime of the inputs (after [`name_elided`]).
pub(crate) fn output_lifetime(sig: &Signature) -> Option<Lifetime> {
    if let Some(receiver) = sig.receiver()
        && let ReceiverKind::Reference(_, Some(lifetime), _) = &receiver.kind
    {
        return Some(lifetime.clone());
    }
    let mut found = InputLifetimes::default();
    for arg in &sig.inputs {
        match arg {
            FnArg::Receiver(receiver) => {
                if let ReceiverKind::Typed(_, ty) = &receiver.kind {
                    syn::visit::Visit::visit_type(&mut found, ty);
                }
            }
            FnArg::Typed(pat_type) => syn::visit::Visit::visit_type(&mut found, &pat_type.ty),
        }
    }
    match found.0.as_slice() {
        [only] => Some(only.clone()),
        _ => None,
    }
}

#[derive(Default)]
struct InputLifetimes(Vec<Lifetime>);

impl<'ast> syn::visit::Visit<'ast> for InputLifetimes {
    fn visit_lifetime(&mut self, lifetime: &'ast Lifetime) {
        if lifetime.ident != "static" && !self.0.contains(lifetime) {
            self.0.push(lifetime.clone());
        }
    }

    fn visit_type_fn_ptr(&mut self, _: &'ast syn::TypeFnPtr) {}

    fn visit_parenthesized_generic_arguments(
        &mut self,
        _: &'ast syn::ParenthesizedGenericArguments,
    ) {
    }
}

/// Gives every elided lifetime of `ty` (the item type) the name `lifetime`, as rustc's
/// elision would, so the return type names it consistently.
pub(crate) fn fill_elided(ty: &mut syn::Type, lifetime: &Lifetime) {
    struct Fill<'a>(&'a Lifetime);
    impl VisitMut for Fill<'_> {
        fn visit_type_reference_mut(&mut self, reference: &mut syn::TypeReference) {
            if reference.lifetime.is_none() {
                reference.lifetime = Some(self.0.clone());
            }
            visit_mut::visit_type_reference_mut(self, reference);
        }

        fn visit_lifetime_mut(&mut self, lifetime: &mut Lifetime) {
            if lifetime.ident == "_" {
                *lifetime = self.0.clone();
            }
        }

        fn visit_type_fn_ptr_mut(&mut self, _: &mut syn::TypeFnPtr) {}

        fn visit_parenthesized_generic_arguments_mut(
            &mut self,
            _: &mut syn::ParenthesizedGenericArguments,
        ) {
        }
    }
    Fill(lifetime).visit_type_mut(ty);
}
