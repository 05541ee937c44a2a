//! The companion's type rewrites: `Self::Item` to the companion's parameter, lifetimes to
//! higher-ranked ones, and the test whether a type names a parameter.

use proc_macro2::Span;
use syn::{Ident, Lifetime, Type};

use crate::common::walk::{self, Pass};

/// Whether `ty` names one of `params`.
pub(super) fn mentions_any(ty: &Type, params: &[Ident]) -> bool {
    struct Finder<'p>(&'p [Ident], bool);
    impl Pass for Finder<'_> {
        fn visit_ident_mut(&mut self, ident: &mut Ident) {
            self.1 |= self.0.contains(ident);
        }
    }
    let mut finder = Finder(params, false);
    walk::node(&mut finder, &mut ty.clone());
    finder.1
}

/// Renames every lifetime of an argument type but `'static`, elided ones (`&T`, `'_`)
/// included, to fresh ones collected for a `for<..>` bound. Lifetimes elided inside `fn(&T)` and
/// `Fn(&T)` are higher-ranked already and stay.
#[derive(Default)]
pub(super) struct HigherRanked {
    pub(super) bound: Vec<Lifetime>,
    /// Named lifetimes of the type and the fresh ones standing for them.
    renamed: Vec<(Lifetime, Lifetime)>,
}

impl HigherRanked {
    fn fresh(&mut self) -> Lifetime {
        let lifetime = Lifetime::new(&format!("'__s{}", self.bound.len()), Span::mixed_site());
        self.bound.push(lifetime.clone());
        lifetime
    }
}

impl Pass for HigherRanked {
    fn visit_type_reference_mut(&mut self, reference: &mut syn::TypeReference) {
        if reference.lifetime.is_none() {
            reference.lifetime = Some(self.fresh());
        }
        walk::children(self, reference);
    }

    fn visit_lifetime_mut(&mut self, lifetime: &mut Lifetime) {
        if lifetime.ident == "_" {
            *lifetime = self.fresh();
        } else if lifetime.ident != "static" {
            // Named lifetimes too (the method's and the trait's): `&'k K: Send` alone would
            // need `K: 'k` to be well-formed, and `for<'k> &'k K: Send` says the same (the
            // auto traits do not look at lifetimes).
            if let Some((_, renamed)) = self.renamed.iter().find(|(name, _)| name == lifetime) {
                *lifetime = renamed.clone();
            } else {
                let renamed = self.fresh();
                self.renamed.push((lifetime.clone(), renamed.clone()));
                *lifetime = renamed;
            }
        }
    }

    fn visit_type_fn_ptr_mut(&mut self, _: &mut syn::TypeFnPtr) {}

    fn visit_parenthesized_generic_arguments_mut(
        &mut self,
        _: &mut syn::ParenthesizedGenericArguments,
    ) {
    }
}

/// Replaces `Self::Item` with the companion's parameter `Item` (in the bounds of that
/// parameter, where `Self` means nothing).
pub(super) struct SubstituteSelfAssoc<'s>(pub(super) &'s [(Ident, Type)]);

impl SubstituteSelfAssoc<'_> {
    /// The parameter standing for `ty`, when `ty` is `Self::Item`.
    fn replacement(&self, ty: &Type) -> Option<&Type> {
        let Type::Path(path) = ty else { return None };
        let segments = &path.path.segments;
        let names_self = segments.first().is_some_and(|first| first.ident == "Self");
        if path.qself.is_some() || segments.len() != 2 || !names_self {
            return None;
        }
        let last = segments.last()?;
        self.0
            .iter()
            .find(|(assoc, _)| *assoc == last.ident)
            .map(|(_, replacement)| replacement)
    }
}

impl Pass for SubstituteSelfAssoc<'_> {
    fn visit_type_mut(&mut self, ty: &mut Type) {
        if let Some(replacement) = self.replacement(ty) {
            *ty = replacement.clone();
            return;
        }
        walk::children(self, ty);
    }
}
