//! `#[async_trait_ext]`: async fn in traits, boxed (async-trait compatible, the default) or
//! native (`impl Future` in the trait, plus a `Dyn` companion for dynamic dispatch).
//!
//! This module only dispatches: it parses the item and the options (`options`), rewrites
//! `#[for_await]` loops, and hands the item to `boxed` or `native`. Below them: `companion`
//! (native mode's `Dyn` companion), `asyncness` and `dyn_hint` (items that only serve
//! diagnostics), and the modules every mode shares: `attributes` (per-method attributes),
//! `method_kind`, `receiver` and `spans`. No module imports one that imports it back.

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::Item;

use self::attributes::strip_method_options;
use self::options::{Mode, TraitOptions};
use crate::common::crate_path;
use crate::common::errors::error_with_fallback;
use crate::common::for_await;

mod asyncness;
mod attributes;
mod boxed;
mod boxing;
mod companion;
mod contract_docs;
mod dyn_hint;
mod method_kind;
mod native;
mod options;
pub(crate) mod receiver;

pub(crate) fn expand(args: TokenStream, input: TokenStream) -> TokenStream {
    let item = match syn::parse2::<Item>(input.clone()) {
        Ok(item @ (Item::Trait(_) | Item::Impl(_))) => item,
        Ok(other) => {
            let error = syn::Error::new_spanned(
                item_keyword(&other),
                "`#[async_trait_ext]` goes on a trait or an impl block of a trait",
            );
            return error_with_fallback(&error, other);
        }
        Err(error) => return error_with_fallback(&error, input),
    };
    let parsed = TraitOptions::parse(args);
    let mut options_error = parsed.error;
    if let Some(error) = stray_companion_name(&item, parsed.stray_companion) {
        match &mut options_error {
            Some(errors) => errors.combine(error),
            None => options_error = Some(error),
        }
    }
    let expansion = expand_with(item, &parsed.options);
    match options_error {
        Some(error) => error_with_fallback(&error, expansion),
        None => expansion,
    }
}

/// `dyn = …` without `native`, where it means nothing: on a boxed trait (silently ignored
/// otherwise) or on an impl block.
fn stray_companion_name(item: &Item, span: Option<proc_macro2::Span>) -> Option<syn::Error> {
    let span = span?;
    let message = match item {
        Item::Trait(_) => {
            "`dyn = …` names native mode's companion, and this trait is in boxed mode (used as \
             `dyn Trait` itself): write `#[async_trait_ext(native, dyn = …)]`, or remove `dyn = …`"
        }
        _ => {
            "`dyn = …` means nothing on an impl block: it names a native trait's companion, and \
             goes on the trait; remove it here"
        }
    };
    Some(syn::Error::new(span, message))
}

/// The item expanded with `options`.
fn expand_with(mut item: Item, options: &TraitOptions) -> TokenStream {
    crate_path::pass_on(&mut item, &options.krate);
    let loops = match &mut item {
        Item::Trait(item_trait) => for_await::rewrite(item_trait, &options.krate),
        Item::Impl(item_impl) => for_await::rewrite(item_impl, &options.krate),
        _ => Ok(()),
    };
    if let Err(error) = loops {
        return error_with_fallback(&error, strip_method_options(item));
    }
    match (item, &options.mode) {
        (Item::Trait(item_trait), Mode::Native(native)) => {
            native::expand_trait(item_trait, options, native)
        }
        (Item::Trait(item_trait), Mode::Boxed) => boxed::expand_trait(item_trait, options),
        (Item::Impl(item_impl), Mode::Native(native)) => {
            let error = syn::Error::new(
                native.native.span(),
                "`native` means nothing on an impl block: impls of a native trait are plain \
                 `async fn`s and need no attribute; remove `#[async_trait_ext(native)]` here",
            );
            error_with_fallback(&error, strip_method_options(Item::Impl(item_impl)))
        }
        (Item::Impl(item_impl), Mode::Boxed) => boxed::expand_impl(item_impl, options),
        (other, _) => other.into_token_stream(),
    }
}

/// The token that names what kind of item this is (`struct`, `fn`, …), for errors.
fn item_keyword(item: &Item) -> TokenStream {
    match item {
        Item::Struct(item) => item.struct_token.into_token_stream(),
        Item::Enum(item) => item.enum_token.into_token_stream(),
        Item::Fn(item) => item.sig.fn_token.into_token_stream(),
        Item::Mod(item) => item.mod_token.into_token_stream(),
        other => other.into_token_stream(),
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    #[test]
    fn a_companion_name_without_native_is_an_error_and_the_item_still_expands() {
        for (args, item, message) in [
            (
                quote!(dyn = Other),
                quote!(
                    trait Store {
                        async fn get(&self) -> u8;
                    }
                ),
                "this trait is in boxed mode",
            ),
            (
                quote!(dyn = none),
                quote!(impl Store for Memory { async fn get(&self) -> u8 { 1 } }),
                "means nothing on an impl block",
            ),
        ] {
            let expansion = super::expand(args, item).to_string();
            assert!(expansion.contains(message), "{expansion}");
            assert!(expansion.contains("'async_trait"), "{expansion}");
        }
        let native = super::expand(
            quote!(native, dyn = Other),
            quote!(
                trait Store {
                    async fn get(&self) -> u8;
                }
            ),
        )
        .to_string();
        assert!(!native.contains("compile_error"), "{native}");
    }

    #[test]
    fn an_options_error_is_reported_beside_the_expanded_trait() {
        let expansion = super::expand(
            quote!(bogus),
            quote! {
                trait Store {
                    async fn get(&self) -> u8;
                }
            },
        )
        .to_string();
        assert!(expansion.contains("compile_error"), "{expansion}");
        assert!(expansion.contains("'async_trait"), "{expansion}");
        assert!(!expansion.contains("async fn"), "{expansion}");
    }
}
