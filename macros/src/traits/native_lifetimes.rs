//! Naming the elided lifetimes of a method's inputs, so the companion's erased method can
//! bound each of them by the lifetime of its boxed future.

use proc_macro2::Span;
use syn::visit_mut::{self, VisitMut};
use syn::{FnArg, Lifetime, ParenthesizedGenericArguments, ReceiverKind, Signature, TypeFnPtr};

// Input:  fn get(&self, key: &str, page: Page<'_>) -> &str
// Output: fn get(&'__life0 self, key: &'__life1 str, page: Page<'__life2>) -> &'__life0 str,
//         returning the new lifetimes so the caller declares them and bounds them by the
//         future's lifetime. `output` gets the lifetime elision would have given it (the
//         receiver's, or the only input lifetime), so no lint sees a lifetime named on one side
//         and elided on the other.
pub(crate) fn name_elided_lifetimes(sig: &mut Signature, output: &mut syn::Type) -> Vec<Lifetime> {
    let mut namer = ElidedNamer {
        named: Vec::new(),
        seen: Vec::new(),
    };
    let mut receiver_lifetime = None;
    for input in &mut sig.inputs {
        match input {
            FnArg::Receiver(receiver) => {
                match &mut receiver.kind {
                    ReceiverKind::Reference(_, lifetime @ None, _) => {
                        *lifetime = Some(namer.fresh());
                    }
                    ReceiverKind::Reference(_, Some(lifetime), _) => {
                        namer.visit_lifetime_mut(lifetime);
                    }
                    ReceiverKind::Typed(_, ty) => namer.visit_type_mut(ty),
                    _ => {}
                }
                receiver_lifetime = namer.seen.first().cloned();
            }
            FnArg::Typed(arg) => namer.visit_type_mut(&mut arg.ty),
        }
    }
    let target = receiver_lifetime.or_else(|| match namer.seen.as_slice() {
        [only] => Some(only.clone()),
        _ => None,
    });
    if let Some(target) = target {
        OutputElision(target).visit_type_mut(output);
    }
    namer.named
}

struct ElidedNamer {
    /// The lifetimes this namer created.
    named: Vec<Lifetime>,
    /// Every lifetime of the inputs, named or created, in order.
    seen: Vec<Lifetime>,
}

impl ElidedNamer {
    fn fresh(&mut self) -> Lifetime {
        let name = format!("'__life{}", self.named.len());
        let lifetime = Lifetime::new(&name, Span::mixed_site());
        self.named.push(lifetime.clone());
        self.seen.push(lifetime.clone());
        lifetime
    }
}

impl VisitMut for ElidedNamer {
    fn visit_type_reference_mut(&mut self, reference: &mut syn::TypeReference) {
        if reference.lifetime.is_none() {
            reference.lifetime = Some(self.fresh());
        }
        visit_mut::visit_type_reference_mut(self, reference);
    }

    fn visit_lifetime_mut(&mut self, lifetime: &mut Lifetime) {
        if lifetime.ident == "_" {
            *lifetime = self.fresh();
        } else if lifetime.ident != "static" {
            self.seen.push(lifetime.clone());
        }
    }

    // Elided lifetimes in `fn(&str)` and `Fn(&str)` belong to a higher-ranked binder: leave them.
    fn visit_type_fn_ptr_mut(&mut self, _: &mut TypeFnPtr) {}

    fn visit_parenthesized_generic_arguments_mut(&mut self, _: &mut ParenthesizedGenericArguments) {
    }
}

/// Fills the elided lifetimes of an output type with the one elision picks.
struct OutputElision(Lifetime);

impl VisitMut for OutputElision {
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

    fn visit_type_fn_ptr_mut(&mut self, _: &mut TypeFnPtr) {}

    fn visit_parenthesized_generic_arguments_mut(&mut self, _: &mut ParenthesizedGenericArguments) {
    }
}
