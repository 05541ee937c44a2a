//! `local = LocalStore`: the same trait without `Send` on its futures, implemented for every
//! implementor of the `Send` trait, as trait-variant's `make(Store: Send)` gives.
//!
//! Input:  #[async_trait_ext(native, local = LocalStore)]
//!         pub trait Store { type Item; async fn get(&self, key: &str) -> Self::Item; }
//! Output: pub trait LocalStore {
//!             type Item;
//!             fn get(&self, key: &str) -> impl Future<Output = Self::Item>;
//!         }
//!         impl<__AsyncExtImpl: Store> LocalStore for __AsyncExtImpl {
//!             type Item = <__AsyncExtImpl as Store>::Item;
//!             fn get(&self, __arg1: &str) -> impl Future<Output = Self::Item> {
//!                 <__AsyncExtImpl as Store>::get(self, __arg1)
//!             }
//!         }
//!
//! Code that never spawns bounds on `LocalStore` and accepts every sized `Store` (the
//! companion through its pointers: `Box<DynStore>`, `&DynStore`, `&mut DynStore`). Sized only,
//! as trait-variant's blanket impl: were the unsized companion a `LocalStore` too, a method
//! call on it with both traits in scope would be ambiguous (E0034). The local trait's methods have no default bodies: nothing implements it but
//! through the blanket impl (a type that is not a `Store` still may, by hand).

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};
use syn::{FnArg, GenericParam, Ident, ItemTrait, TraitItem, TraitItemFn, WherePredicate};

use super::{MethodMode, rewrite_method};
use crate::common::errors::Errors;
use crate::traits::attributes::cfg_attrs;
use crate::traits::companion::{MAX_CFG_ARGUMENTS, cfg_variants, rename_arguments};
use crate::traits::dyn_hint::contains_impl_trait;

/// The blanket impl's type parameter: every implementor of the `Send` trait.
const IMPLEMENTOR: &str = "__AsyncExtImpl";

/// The local variant `name` of `item` (the trait as the user wrote it) and its blanket impl.
pub(super) fn expand(
    item: &ItemTrait,
    name: &Ident,
    mode: &MethodMode<'_>,
) -> syn::Result<TokenStream> {
    let mut local = item.clone();
    local.ident = name.clone();
    local.attrs.retain(|attr| !attr.path().is_ident("doc"));
    let doc = format!(
        "The local variant of [`{}`]: the same methods, with futures that need not be `Send`. \
         Implemented for every implementor of [`{}`].",
        item.ident, item.ident
    );
    local.attrs.insert(0, syn::parse_quote!(#[doc = #doc]));
    // The variant exists for callers that never spawn; a crate that does not call through it
    // gets no dead-code warning for methods it did not write.
    local.attrs.push(syn::parse_quote!(#[allow(dead_code)]));
    let mut errors = Errors::default();
    for trait_item in &mut local.items {
        match trait_item {
            TraitItem::Fn(method) => {
                errors.push_result(check_cfg_arguments(method, name));
                if method.default.is_some() {
                    // The bounds a default body's `Send` future put on the trait's method
                    // (`where Self: Sync`) hold for every call the blanket impl forwards.
                    let send_bounds = default_body_bounds(method, mode);
                    method.default = None;
                    method.semi_token = Some(syn::Token![;](Span::call_site()));
                    unpattern_arguments(&mut method.sig);
                    method
                        .sig
                        .generics
                        .make_where_clause()
                        .predicates
                        .extend(send_bounds);
                }
                // The trait's own expansion reports the generator attribute's errors.
                let mut stream_errors = TokenStream::new();
                errors.push_result(rewrite_method(method, &mode.local(), &mut stream_errors));
            }
            TraitItem::Type(ty) => ty.default = None,
            TraitItem::Const(constant) => constant.default = None,
            TraitItem::Macro(mac) => errors.push(syn::Error::new_spanned(
                mac,
                format!(
                    "the local variant `{name}` cannot forward the items this macro expands to; \
                     remove `local = {name}`, or write the items out"
                ),
            )),
            _ => {}
        }
    }
    errors.finish()?;
    let blanket = blanket_impl(item, &local);
    Ok(quote!(#local #blanket))
}

/// A method without a body takes no patterns (`(a, b): (u8, u8)`, `mut x`): each becomes `_`.
fn unpattern_arguments(sig: &mut syn::Signature) {
    for input in &mut sig.inputs {
        if let FnArg::Typed(arg) = input {
            let plain = matches!(&*arg.pat, syn::Pat::Ident(ident)
                if ident.by_ref.is_none() && ident.mutability.is_none() && ident.subpat.is_none());
            if !plain {
                let span = syn::spanned::Spanned::span(&arg.pat);
                *arg.pat = syn::parse_quote_spanned!(span=> _);
            }
        }
    }
}

fn blanket_impl(item: &ItemTrait, local: &ItemTrait) -> TokenStream {
    let implementor = Ident::new(IMPLEMENTOR, Span::mixed_site());
    let send_trait = &item.ident;
    let local_trait = &local.ident;
    let (_, trait_args, _) = item.generics.split_for_impl();
    let source = quote!(<#implementor as #send_trait #trait_args>);
    let mut generics = item.generics.clone();
    generics
        .params
        .push(syn::parse_quote!(#implementor: #send_trait #trait_args));
    let (impl_generics, _, where_clause) = generics.split_for_impl();
    let items = local.items.iter().map(|trait_item| match trait_item {
        TraitItem::Const(constant) => {
            let (ident, ty) = (&constant.ident, &constant.ty);
            let cfgs = cfg_attrs(&constant.attrs);
            quote!(#(#cfgs)* const #ident: #ty = #source::#ident;)
        }
        TraitItem::Type(ty) => {
            let ident = &ty.ident;
            let cfgs = cfg_attrs(&ty.attrs);
            let (params, args, where_clause) = ty.generics.split_for_impl();
            quote!(#(#cfgs)* type #ident #params = #source::#ident #args #where_clause;)
        }
        TraitItem::Fn(method) => cfg_variants(method)
            .iter()
            .map(|method| forwarding_method(method, &source))
            .collect(),
        _ => TokenStream::new(),
    });
    let unsafety = &item.unsafety;
    quote! {
        #unsafety impl #impl_generics #local_trait #trait_args for #implementor #where_clause {
            #(#items)*
        }
    }
}

/// The blanket impl's `method`, forwarding to `source`.
fn forwarding_method(method: &TraitItemFn, source: &TokenStream) -> TokenStream {
    let mut sig = method.sig.clone();
    let names = rename_arguments(&mut sig);
    let ident = &sig.ident;
    // Explicit type and const arguments where rustc allows them (no `impl Trait` argument):
    // a const parameter may be named by nothing else.
    let has_impl_argument = sig
        .inputs
        .iter()
        .any(|input| matches!(input, FnArg::Typed(arg) if contains_impl_trait(&arg.ty)));
    let explicit: Vec<TokenStream> = sig
        .generics
        .params
        .iter()
        .filter_map(|param| match param {
            GenericParam::Type(param) => Some(param.ident.to_token_stream()),
            GenericParam::Const(param) => Some(param.ident.to_token_stream()),
            GenericParam::Lifetime(_) => None,
        })
        .collect();
    let turbofish =
        (!has_impl_argument && !explicit.is_empty()).then(|| quote!(::<#(#explicit),*>));
    let cfgs = cfg_attrs(&method.attrs);
    quote! {
        #(#cfgs)*
        #[inline]
        #sig {
            #source::#ident #turbofish(#(#names),*)
        }
    }
}

/// The `where` predicates native mode adds to `method` (with a default body) in the trait
/// itself: those the local variant's method repeats, so the blanket impl may forward to it.
fn default_body_bounds(method: &TraitItemFn, mode: &MethodMode<'_>) -> Vec<WherePredicate> {
    let written = method
        .sig
        .generics
        .where_clause
        .as_ref()
        .map_or(0, |clause| clause.predicates.len());
    let mut in_trait = method.clone();
    let mut ignored = TokenStream::new();
    if rewrite_method(&mut in_trait, mode, &mut ignored).is_err() {
        return Vec::new();
    }
    in_trait
        .sig
        .generics
        .where_clause
        .map(|clause| clause.predicates.into_iter().skip(written).collect())
        .unwrap_or_default()
}

/// The blanket impl forwards a method once per combination of its arguments' `#[cfg]`s: at
/// most [`MAX_CFG_ARGUMENTS`] of them, none under `#[cfg_attr]` (whose effect it cannot see).
fn check_cfg_arguments(method: &TraitItemFn, name: &Ident) -> syn::Result<()> {
    let ident = &method.sig.ident;
    let mut cfg_arguments = 0;
    for input in &method.sig.inputs {
        let FnArg::Typed(arg) = input else { continue };
        if arg
            .attrs
            .iter()
            .any(|attr| attr.path().is_ident("cfg_attr"))
        {
            return Err(syn::Error::new_spanned(
                arg,
                format!(
                    "the local variant `{name}` cannot forward an argument under `#[cfg_attr]` \
                     (in method `{ident}`): write its `#[cfg]` out"
                ),
            ));
        }
        cfg_arguments += usize::from(arg.attrs.iter().any(|attr| attr.path().is_ident("cfg")));
    }
    if cfg_arguments > MAX_CFG_ARGUMENTS {
        return Err(syn::Error::new_spanned(
            ident,
            format!(
                "method `{ident}` has {cfg_arguments} arguments under `#[cfg]`; the local \
                 variant `{name}` forwards one copy of it per combination, and takes at most \
                 {MAX_CFG_ARGUMENTS}"
            ),
        ));
    }
    Ok(())
}
