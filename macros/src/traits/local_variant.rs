//! `local = LocalName` in native mode: besides the trait (whose futures are `Send`), a local
//! variant without `Send` on its futures, implemented for every implementor of the trait, as
//! trait-variant's `#[make(Store: Send)]` gives. Code that never spawns bounds on the local
//! trait and accepts both.
//!
//! Input:  `#[async_trait_ext(native, local = LocalStore)]
//!          pub trait Store { type Item; async fn get(&self, key: &str) -> Self::Item; fn name(&self) -> String; }`
//! Output (beside the native trait):
//! ```text
//! pub trait LocalStore {
//!     type Item;
//!     fn get(&self, key: &str) -> impl Future<Output = Self::Item>;
//!     fn name(&self) -> String;
//! }
//! impl<__AsyncExtImpl: Store> LocalStore for __AsyncExtImpl {
//!     type Item = <__AsyncExtImpl as Store>::Item;
//!     fn get(&self, key: &str) -> impl Future<Output = Self::Item> {
//!         <__AsyncExtImpl as Store>::get(self, key)
//!     }
//!     fn name(&self) -> String { <__AsyncExtImpl as Store>::name(self) }
//! }
//! ```

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};
use syn::{FnArg, GenericParam, Ident, ItemTrait, Pat, ReturnType, Signature, TraitItem};

use super::attributes::{cfg_attrs, is_stream_method};
use crate::common::async_body::{HiddenNames, plain_binding};
use crate::common::errors::Errors;

/// The blanket impl's type parameter: every implementor of the trait.
const IMPLEMENTOR: &str = "__AsyncExtImpl";

/// The local variant `name` of the native trait `item` (as the user wrote it), whose native
/// rewrite is `rewritten` (item for item).
pub(crate) fn expand(
    item: &ItemTrait,
    rewritten: &ItemTrait,
    name: &Ident,
) -> syn::Result<TokenStream> {
    let mut errors = Errors::default();
    let implementor = Ident::new(IMPLEMENTOR, Span::call_site());
    let (_, trait_args, _) = item.generics.split_for_impl();
    let trait_ident = &item.ident;
    let trait_path = quote!(<#implementor as #trait_ident #trait_args>);
    let mut declarations = Vec::new();
    let mut forwards = Vec::new();
    for (trait_item, rewritten_item) in item.items.iter().zip(&rewritten.items) {
        match trait_item {
            TraitItem::Type(ty) => {
                let mut declared = ty.clone();
                declared.default = None;
                declarations.push(declared.into_token_stream());
                let ident = &ty.ident;
                let cfgs = cfg_attrs(&ty.attrs);
                forwards.push(quote!(#(#cfgs)* type #ident = #trait_path::#ident;));
            }
            TraitItem::Const(constant) => {
                let mut declared = constant.clone();
                declared.default = None;
                declarations.push(declared.into_token_stream());
                let ident = &constant.ident;
                let ty = &constant.ty;
                let cfgs = cfg_attrs(&constant.attrs);
                forwards.push(quote!(#(#cfgs)* const #ident: #ty = #trait_path::#ident;));
            }
            TraitItem::Fn(method) if is_stream_method(&method.attrs) => {
                errors.push(syn::Error::new_spanned(
                    &method.sig.ident,
                    format!(
                        "the local variant `{name}` cannot restate a generator method yet; \
                         move `{}` to another trait, or remove `local = {name}`",
                        method.sig.ident
                    ),
                ));
            }
            TraitItem::Fn(method) => {
                let (declaration, forward) = restate_method(method, rewritten_item, &trait_path);
                declarations.push(declaration);
                forwards.push(forward);
            }
            other => errors.push(syn::Error::new_spanned(
                other,
                format!(
                    "the local variant `{name}` cannot restate this item; remove `local = {name}`"
                ),
            )),
        }
    }
    errors.finish()?;

    let vis = &item.vis;
    let generics = &item.generics;
    let where_clause = &generics.where_clause;
    let colon = item.colon_token;
    let supertraits = &item.supertraits;
    let unsafety = &item.unsafety;
    let doc = format!(
        "[`{trait_ident}`] without `Send` on its futures, implemented for every implementor of \
         it: bound on this trait in code that never sends them."
    );
    let impl_params = impl_params(generics, &implementor, trait_ident);
    let predicates = where_clause
        .iter()
        .flat_map(|clause| clause.predicates.iter());
    Ok(quote! {
        #[doc = #doc]
        #vis #unsafety trait #name #generics #colon #supertraits #where_clause {
            #(#declarations)*
        }

        #unsafety impl<#(#impl_params),*> #name #trait_args for #implementor
        where
            #(#predicates,)*
        {
            #(#forwards)*
        }
    })
}

/// The local trait's declaration of `method`, and the blanket impl's forwarding method.
fn restate_method(
    method: &syn::TraitItemFn,
    rewritten_item: &TraitItem,
    trait_path: &TokenStream,
) -> (TokenStream, TokenStream) {
    let mut sig = method.sig.clone();
    // The bounds native mode put on a default body (`where Self: Sync`) hold here too: the
    // method forwards to that body.
    if let TraitItem::Fn(rewritten) = rewritten_item {
        sig.generics
            .where_clause
            .clone_from(&rewritten.sig.generics.where_clause);
    }
    let arguments = local_signature(&mut sig);
    // The declaration's own attributes: not those that rewrite a body.
    let attrs = method.attrs.iter().filter(|attr| {
        ["doc", "cfg", "allow", "deprecated", "must_use"]
            .iter()
            .any(|kept| attr.path().is_ident(kept))
    });
    let declaration = quote!(#(#attrs)* #sig;);
    let cfgs = cfg_attrs(&method.attrs);
    let ident = &sig.ident;
    let forward = quote! {
        #(#cfgs)*
        #[inline]
        #sig {
            #trait_path::#ident(#(#arguments),*)
        }
    };
    (declaration, forward)
}

/// The blanket impl's parameters: the trait's, without defaults, then the implementor.
fn impl_params(
    generics: &syn::Generics,
    implementor: &Ident,
    trait_ident: &Ident,
) -> Vec<TokenStream> {
    let (_, trait_args, _) = generics.split_for_impl();
    let mut params: Vec<TokenStream> = generics
        .params
        .iter()
        .map(|param| {
            let mut param = param.clone();
            match &mut param {
                GenericParam::Type(param) => param.default = None,
                GenericParam::Const(param) => param.default = None,
                GenericParam::Lifetime(_) => {}
            }
            param.into_token_stream()
        })
        .collect();
    params.push(quote!(#implementor: #trait_ident #trait_args));
    params
}

// Input:  `async fn get(&self, mut key: String, (a, b): (u8, u8)) -> R`
// Output: `fn get(&self, key: String, __arg2: (u8, u8)) -> impl Future<Output = R>`, and the
//         arguments to forward: `self, key, __arg2`.
/// A method's signature in the local trait and its impl, and the arguments it forwards.
fn local_signature(sig: &mut Signature) -> Vec<TokenStream> {
    if let Some(async_token) = sig.asyncness.take() {
        let output = match &sig.output {
            ReturnType::Default => quote!(()),
            ReturnType::Type(_, ty) => ty.to_token_stream(),
        };
        sig.output = syn::parse_quote_spanned! {async_token.span=>
            -> impl ::core::future::Future<Output = #output>
        };
    }
    let mut arguments = Vec::new();
    for (index, input) in sig.inputs.iter_mut().enumerate() {
        match input {
            FnArg::Receiver(receiver) => {
                receiver.mutability = None;
                arguments.push(receiver.self_token.to_token_stream());
            }
            FnArg::Typed(argument) => {
                argument.attrs.retain(|attr| attr.path().is_ident("cfg"));
                let name = match &mut *argument.pat {
                    Pat::Ident(pat) if pat.by_ref.is_none() && pat.subpat.is_none() => {
                        pat.mutability = None;
                        pat.ident.clone()
                    }
                    pat => {
                        let hidden = HiddenNames::Short.name(index, pat);
                        *pat = plain_binding(hidden.clone());
                        hidden
                    }
                };
                arguments.push(name.into_token_stream());
            }
        }
    }
    arguments
}
