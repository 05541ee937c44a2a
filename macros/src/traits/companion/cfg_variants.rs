//! `#[cfg]` on an argument of a method something forwards: the forwarding call must pass the
//! argument exactly when it exists, and an argument of a call cannot carry a `#[cfg]` on
//! stable Rust. So the method is forwarded once per combination of its arguments' `#[cfg]`s,
//! each copy under the `#[cfg]` that selects it.
//!
//! Input:  async fn sum(&self, a: u32, #[cfg(feature = "b")] b: u32) -> u32;
//! Output: #[cfg(all(feature = "b"))]      async fn sum(&self, a: u32, b: u32) -> u32;
//!         #[cfg(all(not(feature = "b")))] async fn sum(&self, a: u32) -> u32;

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Attribute, FnArg, Meta, TraitItemFn};

/// At most this many `#[cfg]`'d arguments per method: 2^N copies of the method are written.
pub(in crate::traits) const MAX_CFG_ARGUMENTS: usize = 4;

/// The copies of `method` to forward: itself when no argument has a `#[cfg]`.
pub(in crate::traits) fn cfg_variants(method: &TraitItemFn) -> Vec<TraitItemFn> {
    let predicates: Vec<(usize, TokenStream)> = method
        .sig
        .inputs
        .iter()
        .enumerate()
        .filter_map(|(index, input)| match input {
            FnArg::Typed(arg) => cfg_predicate(&arg.attrs).map(|predicate| (index, predicate)),
            FnArg::Receiver(_) => None,
        })
        .collect();
    if predicates.is_empty() || predicates.len() > MAX_CFG_ARGUMENTS {
        return vec![method.clone()];
    }
    (0..1_usize << predicates.len())
        .map(|enabled| {
            let mut variant = method.clone();
            let mut selected = Vec::new();
            let mut removed = Vec::new();
            for (bit, (index, predicate)) in predicates.iter().enumerate() {
                if enabled & (1 << bit) == 0 {
                    selected.push(quote!(not(#predicate)));
                    removed.push(*index);
                } else {
                    selected.push(predicate.clone());
                }
            }
            variant.sig.inputs = std::mem::take(&mut variant.sig.inputs)
                .into_iter()
                .enumerate()
                .filter(|(index, _)| !removed.contains(index))
                .map(|(_, mut input)| {
                    if let FnArg::Typed(arg) = &mut input {
                        arg.attrs.retain(|attr| !attr.path().is_ident("cfg"));
                    }
                    input
                })
                .collect();
            variant
                .attrs
                .push(syn::parse_quote!(#[cfg(all(#(#selected),*))]));
            variant
        })
        .collect()
}

/// `all(p, q)` of an argument's `#[cfg(p)] #[cfg(q)]`, if it has any.
fn cfg_predicate(attrs: &[Attribute]) -> Option<TokenStream> {
    let predicates: Vec<TokenStream> = attrs
        .iter()
        .filter(|attr| attr.path().is_ident("cfg"))
        .filter_map(|attr| match &attr.meta {
            Meta::List(list) => Some(list.tokens.clone()),
            _ => None,
        })
        .collect();
    (!predicates.is_empty()).then(|| quote!(all(#(#predicates),*)))
}

#[cfg(test)]
mod tests {
    use quote::{ToTokens, quote};

    #[test]
    fn one_copy_per_combination() {
        let method: syn::TraitItemFn = syn::parse2(quote! {
            fn sum(&self, #[cfg(x)] a: u8, b: u8, #[cfg(y)] #[cfg(z)] c: u8);
        })
        .unwrap();
        let variants: Vec<String> = super::cfg_variants(&method)
            .iter()
            .map(|variant| variant.to_token_stream().to_string())
            .collect();
        assert_eq!(variants.len(), 4);
        assert!(
            variants[0].starts_with("# [cfg (all (not (all (x)) , not (all (y , z))))]"),
            "{}",
            variants[0]
        );
        assert!(
            variants[0].contains("fn sum (& self , b : u8)"),
            "{}",
            variants[0]
        );
        assert!(variants[3].contains("fn sum (& self , a : u8 , b : u8 , c : u8)"));
        assert!(variants[3].starts_with("# [cfg (all (all (x) , all (y , z)))]"));
    }
}
