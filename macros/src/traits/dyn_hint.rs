//! A generic method without `where Self: Sized` makes its trait dyn-incompatible, and rustc's
//! E0038 then only suggests "moving `put` to another trait". To make that error say what to
//! write, a trait with such a method gets one more (hidden, harmless) dyn violation whose very
//! name is the fix: `const put_needs_where_Self_Sized_for_dyn: () = ();`, spanned at the method.
//! E0038 lists it as "...because it contains associated const
//! `put_needs_where_Self_Sized_for_dyn`". The trait was dyn-incompatible already, so the const
//! changes nothing else.
//!
//! The two tests this needs, whether a method is generic through an `impl Trait` argument and
//! whether it has `where Self: Sized`, also decide which methods the native companion forwards.

pub(crate) use crate::common::types::contains_impl_trait;
use proc_macro2::Span;
use quote::format_ident;
use syn::ext::IdentExt;
use syn::{FnArg, GenericParam, Signature, TraitItem, Type, TypeParamBound, WherePredicate};

/// The hint for `sig`, if the method is generic over types or consts and not `Self: Sized`.
pub(crate) fn dyn_hint(sig: &Signature) -> Option<TraitItem> {
    let generic = sig
        .generics
        .params
        .iter()
        .any(|param| !matches!(param, GenericParam::Lifetime(_)))
        || sig.inputs.iter().any(
            |input| matches!(input, FnArg::Typed(argument) if contains_impl_trait(&argument.ty)),
        );
    if !generic || requires_sized_self(sig) {
        return None;
    }
    let span = sig.ident.span().resolved_at(Span::call_site());
    let name = format_ident!(
        "{}_needs_where_Self_Sized_for_dyn",
        sig.ident.unraw(),
        span = span
    );
    Some(syn::parse_quote_spanned! {span=>
        #[doc(hidden)]
        #[allow(non_upper_case_globals, dead_code)]
        const #name: () = ();
    })
}

/// `where Self: Sized` (possibly among other bounds): such a method is left out of `dyn Trait`
/// and of the companion.
pub(crate) fn requires_sized_self(sig: &Signature) -> bool {
    let Some(where_clause) = &sig.generics.where_clause else {
        return false;
    };
    where_clause.predicates.iter().any(|predicate| {
        let WherePredicate::Type(predicate) = predicate else {
            return false;
        };
        let Type::Path(bounded) = &predicate.bounded_ty else {
            return false;
        };
        bounded.qself.is_none()
            && bounded.path.is_ident("Self")
            && predicate.bounds.iter().any(|bound| {
                matches!(bound, TypeParamBound::Trait(bound)
                    if bound.maybe.is_none()
                        && bound.path.segments.last().is_some_and(|segment| segment.ident == "Sized"))
            })
    })
}
