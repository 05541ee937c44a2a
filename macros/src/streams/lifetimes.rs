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
