//! What no companion can forward, each reported at the item with the fix: supertraits other than `Send`/`Sync`/lifetimes, `where Self: …` on the trait, consts,
//! generic associated types, macro items, and methods it cannot call through a `dyn` value.

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::{
    FnArg, GenericParam, Ident, ItemTrait, Signature, TraitBound, TraitItem, TraitItemFn,
    TraitItemType, Type, TypeParamBound, WherePredicate,
};

use super::super::attributes::has_cfg;
use super::super::dyn_hint::{contains_impl_trait, requires_sized_self};
use super::super::method_kind::MethodKind;
use super::super::native::is_send_bound;
use super::super::receiver::ReceiverShape;
use super::cfg_variants::MAX_CFG_ARGUMENTS;
use super::erasure::{BoxedImpl, Returned, impl_argument};
use crate::common::errors::Errors;

const FIX: &str = "add `where Self: Sized` to leave it out of the companion, or write \
                   `#[async_trait_ext(native, dyn = none)]` for no companion";

/// Every check, with every error found.
pub(super) fn check_trait(
    item: &ItemTrait,
    kinds: &[Option<MethodKind>],
    name: &Ident,
) -> syn::Result<()> {
    let mut errors = Errors::default();
    check_header(item, name, &mut errors);
    for (trait_item, kind) in item.items.iter().zip(kinds) {
        match trait_item {
            TraitItem::Const(constant) => errors.push(syn::Error::new_spanned(
                &constant.ident,
                format!(
                    "associated const `{}` cannot be read through the `{name}` companion (a \
                     `dyn` value has no consts); turn it into a method, or write \
                     `#[async_trait_ext(native, dyn = none)]` for no companion",
                    constant.ident
                ),
            )),
            TraitItem::Type(ty) => {
                errors.push_result(check_assoc_type(ty, name));
            }
            TraitItem::Fn(method) => {
                if requires_sized_self(&method.sig) {
                    continue;
                }
                if let Some(kind) = kind {
                    errors.push_result(check_method(method, kind, name));
                }
            }
            TraitItem::Macro(mac) => errors.push(syn::Error::new_spanned(
                mac,
                format!(
                    "the `{name}` companion cannot see the items this macro expands to; \
                     write `#[async_trait_ext(native, dyn = none)]` for no companion"
                ),
            )),
            other => errors.push(syn::Error::new_spanned(
                other,
                format!(
                    "the `{name}` companion does not support this item; write \
                     `#[async_trait_ext(native, dyn = none)]` for no companion"
                ),
            )),
        }
    }
    errors.finish()
}

/// Checks what the companion needs of the trait itself (supertraits it can implement, no
/// `where Self: …`). An `unsafe trait` is fine: its companion impls are `unsafe impl`s, the
/// user's own `unsafe` repeated as a hand-written forwarding impl would.
fn check_header(item: &ItemTrait, name: &Ident, errors: &mut Errors) {
    for bound in &item.supertraits {
        match bound {
            TypeParamBound::Lifetime(_) => {}
            TypeParamBound::Trait(bound) if is_auto_trait(bound) => {}
            other => errors.push(syn::Error::new_spanned(
                other,
                format!(
                    "the `{name}` companion cannot implement this supertrait (only `Send` \
                         and `Sync` carry over to a `dyn` companion); write \
                         `#[async_trait_ext(native, dyn = none)]` for no companion"
                ),
            )),
        }
    }
    if let Some(clause) = &item.generics.where_clause {
        for predicate in &clause.predicates {
            let WherePredicate::Type(predicate) = predicate else {
                continue;
            };
            if bounds_self(&predicate.bounded_ty) {
                errors.push(syn::Error::new_spanned(
                    predicate,
                    format!(
                        "the `{name}` companion cannot meet a `where Self: …` bound of the \
                             trait; move it to the methods that need it, or write \
                             `#[async_trait_ext(native, dyn = none)]`"
                    ),
                ));
            }
        }
    }
}

/// Whether the companion can take this associated type as a parameter.
fn check_assoc_type(ty: &TraitItemType, name: &Ident) -> syn::Result<()> {
    if !ty.generics.params.is_empty() || ty.generics.where_clause.is_some() {
        return Err(syn::Error::new_spanned(
            &ty.ident,
            format!(
                "generic associated type `{}` cannot be named through the `{name}` companion; \
                 write `#[async_trait_ext(native, dyn = none)]` for no companion",
                ty.ident
            ),
        ));
    }
    if has_cfg(&ty.attrs) {
        return Err(syn::Error::new_spanned(
            &ty.ident,
            format!(
                "associated type `{}` has a `#[cfg]`, so the `{name}` companion's parameters \
                 would change with it; remove the `#[cfg]`, or write \
                 `#[async_trait_ext(native, dyn = none)]`",
                ty.ident
            ),
        ));
    }
    Ok(())
}

/// `Send`, `Sync` or their `core::marker::`/`std::marker::` paths, with no `?` or `for<..>`:
/// the supertraits a `dyn` companion carries over.
pub(super) fn is_auto_trait(bound: &TraitBound) -> bool {
    bound.maybe.is_none()
        && bound.lifetimes.is_none()
        && (bound.path.is_ident("Send")
            || bound.path.is_ident("Sync")
            || is_core_marker(&bound.path))
}

fn is_core_marker(path: &syn::Path) -> bool {
    let names: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    matches!(
        names
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice(),
        ["core" | "std", "marker", "Send" | "Sync"]
    )
}

/// Whether `ty` is `Self`.
pub(super) fn bounds_self(ty: &Type) -> bool {
    matches!(ty, Type::Path(path) if path.qself.is_none() && path.path.is_ident("Self"))
}

/// Whether the companion can forward this method; if not, the error names the method and
/// the fix.
fn check_method(method: &TraitItemFn, kind: &MethodKind, name: &Ident) -> syn::Result<()> {
    let sig = &method.sig;
    let ident = &sig.ident;
    if let Some(param) = sig
        .generics
        .params
        .iter()
        .find(|param| !matches!(param, GenericParam::Lifetime(_)))
    {
        return Err(syn::Error::new_spanned(
            param,
            format!(
                "generic method `{ident}` cannot be called through the `{name}` companion (a \
                 `dyn` call cannot pick a type); {FIX}"
            ),
        ));
    }
    check_arguments(sig, kind, name)?;
    // What the method returns, past what the companion erases: an async method's output, or
    // a sync method's type unless it is an `impl Trait` the companion boxes.
    let returned: Option<Type> = match Returned::of(kind, &sig.output) {
        Returned::Future { output, .. } => Some(*output),
        Returned::Value => match &sig.output {
            syn::ReturnType::Type(_, ty) => Some((**ty).clone()),
            syn::ReturnType::Default => None,
        },
        Returned::Boxed(_) => None,
    };
    if let Some(returned) = returned.filter(contains_impl_trait) {
        return Err(syn::Error::new_spanned(
            &returned,
            format!(
                "method `{ident}` returns an `impl Trait` the `{name}` companion cannot box: it \
                 boxes a return type that is `impl Trait` with one trait (and `Send`, `Sync`, \
                 lifetimes), not one nested in another type; {FIX}"
            ),
        ));
    }
    if let syn::Safety::Unsafe(token) = &sig.safety {
        return Err(syn::Error::new(
            token.span,
            format!(
                "the `{name}` companion cannot forward `unsafe fn {ident}` without `unsafe` in \
                 generated code; {FIX}"
            ),
        ));
    }
    check_receiver(sig, name)
}

/// Whether the companion can forward the method's arguments: `impl Trait` ones it can box
/// (`Send` where the future holds them), and `#[cfg]`s it can see.
fn check_arguments(sig: &Signature, kind: &MethodKind, name: &Ident) -> syn::Result<()> {
    let ident = &sig.ident;
    for input in &sig.inputs {
        if let FnArg::Typed(arg) = input {
            let boxed = impl_argument(&arg.ty).and_then(BoxedImpl::of);
            let erasable = boxed.is_some();
            let send_needed = matches!(kind, MethodKind::Async { send: true, .. });
            let not_send = impl_argument(&arg.ty)
                .is_some_and(|impl_trait| !impl_trait.bounds.iter().any(is_send_bound));
            if send_needed && erasable && not_send {
                return Err(syn::Error::new_spanned(
                    &arg.ty,
                    format!(
                        "the future of `{ident}` holds this argument, so in a `Send` trait it \
                         must be `Send` (for the `{name}` companion as for every `async fn` \
                         implementing it): write `impl … + Send`"
                    ),
                ));
            }
            if !erasable && contains_impl_trait(&arg.ty) {
                return Err(syn::Error::new_spanned(
                    &arg.ty,
                    format!(
                        "method `{ident}` takes an `impl Trait` argument the `{name}` companion \
                         cannot box: it boxes an argument whose type is `impl Trait` with one \
                         trait (and `Send`, `Sync`, lifetimes), not one nested in another type; \
                         {FIX}"
                    ),
                ));
            }
            if arg
                .attrs
                .iter()
                .any(|attr| attr.path().is_ident("cfg_attr"))
            {
                return Err(syn::Error::new_spanned(
                    arg,
                    format!(
                        "the `{name}` companion cannot forward an argument under `#[cfg_attr]` \
                         (in method `{ident}`): write its `#[cfg]` out; otherwise {FIX}"
                    ),
                ));
            }
        }
    }
    let cfg_arguments = sig
        .inputs
        .iter()
        .filter(|input| matches!(input, FnArg::Typed(arg) if has_cfg(&arg.attrs)))
        .count();
    if cfg_arguments > MAX_CFG_ARGUMENTS {
        return Err(syn::Error::new_spanned(
            ident,
            format!(
                "method `{ident}` has {cfg_arguments} arguments under `#[cfg]`; the `{name}` \
                 companion forwards one copy of it per combination, and takes at most \
                 {MAX_CFG_ARGUMENTS}; {FIX}"
            ),
        ));
    }
    Ok(())
}

/// Whether the companion can call the method through its receiver.
fn check_receiver(sig: &Signature, name: &Ident) -> syn::Result<()> {
    let ident = &sig.ident;
    match ReceiverShape::of(sig) {
        ReceiverShape::None => Err(syn::Error::new_spanned(
            ident,
            format!(
                "associated function `{ident}` has no `self`, so the `{name}` companion cannot \
                 call it; {FIX}"
            ),
        )),
        ReceiverShape::Value => Err(syn::Error::new_spanned(
            receiver_tokens(sig),
            format!(
                "method `{ident}` takes `self` by value, which the `{name}` companion cannot do \
                 (it is unsized); take `self: Box<Self>` instead, or {FIX}"
            ),
        )),
        ReceiverShape::Other => Err(syn::Error::new_spanned(
            receiver_tokens(sig),
            format!(
                "the `{name}` companion cannot call method `{ident}` through this receiver; it \
                 supports `&self`, `&mut self`, `self: Box<Self>`, `self: Rc<Self>`, `self: \
                 Arc<Self>`, `self: Pin<&Self>` and `self: Pin<&mut Self>`; otherwise {FIX}"
            ),
        )),
        _ => Ok(()),
    }
}

fn receiver_tokens(sig: &Signature) -> TokenStream {
    sig.inputs
        .first()
        .map_or_else(|| sig.ident.to_token_stream(), ToTokens::to_token_stream)
}
