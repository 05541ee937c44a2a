//! `#[async_stream]` / `#[async_try_stream]` methods of a native trait: native mode applies the
//! generator attribute itself, then says what the trait promises of the stream.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::{TraitItem, TraitItemFn};

use super::super::attributes::is_stream_method;
use super::{MethodMode, bound_self_for_send, returned_impl_trait};
use crate::streams::Flavor;

/// Removes `#[async_stream(..)]` / `#[async_try_stream(..)]` from `attrs`, returning it.
pub(super) fn take_stream_attribute(
    attrs: &mut Vec<syn::Attribute>,
) -> Option<(syn::Attribute, Flavor)> {
    if !is_stream_method(attrs) {
        return None;
    }
    let index = attrs
        .iter()
        .position(|attr| is_stream_method(std::slice::from_ref(attr)))?;
    let attr = attrs.remove(index);
    let is_try = attr
        .path()
        .segments
        .last()
        .is_some_and(|last| last.ident == "async_try_stream");
    Some((attr, if is_try { Flavor::Try } else { Flavor::Plain }))
}

// Input:  #[async_stream(item = u64)] async fn numbers(&self);
// Output: fn numbers<'__life0>(&'__life0 self)
//             -> impl __private::Stream<Item = u64> + ::core::marker::Send;
//
// The generator attribute is applied here rather than after us, so that the trait says what
// its methods return: `Send` in a `Send` trait (so generic code can spawn the stream), and no
// `Captures` bound (a return-position `impl Trait` in a trait captures every lifetime in
// scope, in every edition). The companion then boxes it like any `impl Trait` return;
// `boxed`/`boxed_local` streams are a plain type and pass through. Returns the attribute's
// errors, which go beside the trait.
pub(super) fn rewrite_stream_method(
    method: &mut TraitItemFn,
    attr: &syn::Attribute,
    flavor: Flavor,
    send: bool,
    mode: &MethodMode<'_>,
) -> TokenStream {
    let span = attr.pound_token.span;
    let mut args = match &attr.meta {
        syn::Meta::List(list) => list.tokens.clone(),
        _ => TokenStream::new(),
    };
    // The trait's `crate = path`, unless the attribute names its own.
    let names_crate = args
        .clone()
        .into_iter()
        .any(|token| matches!(token, proc_macro2::TokenTree::Ident(ident) if ident == "crate"));
    if !names_crate {
        let krate = mode.krate;
        let trailing_comma = args.clone().into_iter().last().is_some_and(
            |token| matches!(token, proc_macro2::TokenTree::Punct(punct) if punct.as_char() == ','),
        );
        let comma = (!args.is_empty() && !trailing_comma).then(|| quote!(,));
        args.extend(quote!(#comma crate = #krate));
    }
    let has_body = method.default.is_some();
    let expanded = crate::streams::expand_stream_fn(args, method.to_token_stream(), flavor);
    let mut errors = TokenStream::new();
    let parsed = syn::parse::Parser::parse2(
        |input: syn::parse::ParseStream| {
            let mut items = Vec::new();
            while !input.is_empty() {
                items.push(input.parse::<TraitItem>()?);
            }
            Ok(items)
        },
        expanded.clone(),
    );
    let Ok(items) = parsed else {
        return expanded;
    };
    for item in items {
        match item {
            TraitItem::Fn(rewritten) => *method = rewritten,
            other => other.to_tokens(&mut errors),
        }
    }
    let Some(impl_trait) = returned_impl_trait(&mut method.sig) else {
        return errors;
    };
    let unboxed = impl_trait.bounds.iter().any(|bound| {
        matches!(bound, syn::TypeParamBound::Trait(bound)
            if bound.path.segments.last().is_some_and(|last| last.ident == "Captures"))
    });
    if !unboxed {
        return errors;
    }
    impl_trait.bounds = std::mem::take(&mut impl_trait.bounds)
        .into_iter()
        .filter(|bound| {
            !matches!(bound, syn::TypeParamBound::Trait(bound)
            if bound.path.segments.last().is_some_and(|last| last.ident == "Captures"))
        })
        .collect();
    if send {
        impl_trait
            .bounds
            .push(syn::parse_quote_spanned!(span=> ::core::marker::Send));
        if has_body {
            bound_self_for_send(&mut method.sig, mode.krate);
        }
    }
    elide_named_lifetimes(&mut method.sig);
    errors
}

/// Elides again the lifetimes the generator attribute named (`'__life0`, for its `Captures`
/// bound): the trait shows `&self` as written, and no lifetime is declared to be used once.
fn elide_named_lifetimes(sig: &mut syn::Signature) {
    struct Elide(Vec<syn::Lifetime>);
    impl crate::common::walk::Pass for Elide {
        fn visit_receiver_mut(&mut self, receiver: &mut syn::Receiver) {
            match &mut receiver.kind {
                syn::ReceiverKind::Reference(_, lifetime, _)
                    if lifetime
                        .as_ref()
                        .is_some_and(|lifetime| self.0.contains(lifetime)) =>
                {
                    *lifetime = None;
                }
                _ => {}
            }
            crate::common::walk::children(self, receiver);
        }
        fn visit_type_reference_mut(&mut self, reference: &mut syn::TypeReference) {
            if reference
                .lifetime
                .as_ref()
                .is_some_and(|lifetime| self.0.contains(lifetime))
            {
                reference.lifetime = None;
            }
            crate::common::walk::children(self, reference);
        }
        fn visit_lifetime_mut(&mut self, lifetime: &mut syn::Lifetime) {
            if self.0.contains(lifetime) {
                *lifetime = syn::Lifetime::new("'_", lifetime.span());
            }
        }
    }
    let named: Vec<syn::Lifetime> = sig
        .generics
        .lifetimes()
        .filter(|param| param.lifetime.ident.to_string().starts_with("__life"))
        .map(|param| param.lifetime.clone())
        .collect();
    if named.is_empty() {
        return;
    }
    sig.generics.params = std::mem::take(&mut sig.generics.params)
        .into_iter()
        .filter(|param| !matches!(param, syn::GenericParam::Lifetime(param) if named.contains(&param.lifetime)))
        .collect();
    if sig.generics.params.is_empty() {
        sig.generics.lt_token = None;
        sig.generics.gt_token = None;
    }
    crate::common::walk::node(&mut Elide(named), sig);
}

#[cfg(test)]
mod tests {
    use quote::quote;

    #[test]
    fn stream_methods_promise_send_and_name_no_helper_trait() {
        let expansion = super::super::super::expand(
            quote!(native, dyn = none),
            quote! {
                trait Cache {
                    #[async_stream(item = u64)]
                    async fn keys(&self, below: u64);
                    #[async_trait_ext(?Send)]
                    #[async_stream(item = u64)]
                    async fn local_keys(&self);
                }
            },
        )
        .to_string();
        assert!(!expansion.contains("Captures"), "{expansion}");
        assert!(!expansion.contains("async_stream"), "{expansion}");
        let keys = &expansion[expansion.find("fn keys").unwrap()..];
        let keys = keys[..keys.find(';').unwrap()].trim_end();
        assert!(keys.ends_with(":: core :: marker :: Send"), "{keys}");
        let local = &expansion[expansion.find("fn local_keys").unwrap()..];
        let local = local[..local.find(';').unwrap()].trim_end();
        assert!(!local.contains("Send"), "{local}");
    }
}
