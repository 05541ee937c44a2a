//! `#[async_trait_ext]`: async fn in traits, boxed (async-trait compatible, the default) or
//! native (`impl Future` in the trait, plus a `Dyn` companion for dynamic dispatch).
//!
//! This module parses the attribute's options, rewrites `#[for_await]` loops, and hands the
//! item to `boxed` or `native`.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::{Attribute, Ident, Item};

use self::attributes::is_own_attribute;
use crate::common::crate_path::{self, CratePath};
use crate::common::errors::{Errors, error_with_fallback};
use crate::common::for_await;
use crate::common::options::Options;

mod arguments;
mod asyncness;
mod attributes;
mod boxed;
mod companion;
mod dyn_hint;
mod native;
pub(crate) mod receiver;
pub(crate) mod spans;

/// The options of `#[async_trait_ext(…)]` on a trait or impl.
pub(crate) struct TraitOptions {
    /// `?Send`: futures need not be `Send`. Holds the span of `?Send`.
    pub(crate) relaxed_send: Option<Span>,
    /// `native`: `impl Future` methods plus a companion, instead of boxed futures.
    pub(crate) native: Option<Ident>,
    /// `dyn = Name` / `dyn = none`.
    pub(crate) companion: CompanionName,
    /// The span of the value after `dyn =`, when given (it only means something with
    /// `native` on a trait).
    pub(crate) companion_span: Option<Span>,
    pub(crate) krate: CratePath,
}

/// The name of native mode's `Dyn` companion.
pub(crate) enum CompanionName {
    /// `Dyn` + the trait's name.
    Default,
    /// `dyn = Name`.
    Named(Ident),
    /// `dyn = none`: no companion.
    Disabled,
}

const ACCEPTED: &[&str] = &[
    "?Send",
    "native",
    "dyn = Name",
    "dyn = none",
    "crate = path",
];

impl TraitOptions {
    /// The options as given, and the error for any mistake among them. On a mistake the
    /// options that did parse still count and the rest take their defaults, so that the item
    /// is expanded anyway and its impls and callers add no errors of their own (a trait left
    /// unexpanded would give each boxed impl a lifetime mismatch, E0195).
    fn parse(args: TokenStream) -> (Self, Option<syn::Error>) {
        let mut errors = Errors::default();
        let mut parsed = TraitOptions {
            relaxed_send: None,
            native: None,
            companion: CompanionName::Default,
            companion_span: None,
            krate: CratePath::default(),
        };
        let Some(mut options) = errors.push_result(Options::parse(args, "async_trait_ext")) else {
            return (parsed, errors.finish().err());
        };
        // `take_relaxed` and `take_flag` fail only on an option given twice: it is given.
        let mut given_twice = |error: syn::Error| {
            let span = error.span();
            errors.push(error);
            span
        };
        parsed.relaxed_send = options
            .take_relaxed("Send")
            .unwrap_or_else(|error| Some(given_twice(error)));
        parsed.native = options
            .take_flag("native")
            .unwrap_or_else(|error| Some(Ident::new("native", given_twice(error))));
        let companion = errors
            .push_result(options.take_parsed::<Ident>("dyn"))
            .flatten();
        parsed.companion_span = companion.as_ref().map(Ident::span);
        parsed.companion = match companion {
            Some(name) if name == "none" => CompanionName::Disabled,
            Some(name) => CompanionName::Named(name),
            None => CompanionName::Default,
        };
        if let Some(krate) = errors.push_result(options.take_crate_path()) {
            parsed.krate = krate;
        }
        errors.push_result(options.finish(ACCEPTED));

        (parsed, errors.finish().err())
    }
}

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
    let (options, mut options_error) = TraitOptions::parse(args);
    if let Some(error) = misplaced_companion_name(&item, &options) {
        match &mut options_error {
            Some(errors) => errors.combine(error),
            None => options_error = Some(error),
        }
    }
    let expansion = expand_with(item, &options);
    match options_error {
        Some(error) => error_with_fallback(&error, expansion),
        None => expansion,
    }
}

/// `dyn = …` where it means nothing: on a boxed trait (silently ignored otherwise) or on an
/// impl block (without `native`, which has its own error there).
fn misplaced_companion_name(item: &Item, options: &TraitOptions) -> Option<syn::Error> {
    let span = options.companion_span?;
    let message = match item {
        Item::Trait(_) if options.native.is_none() => {
            "`dyn = …` names native mode's companion, and this trait is in boxed mode (used as \
             `dyn Trait` itself): write `#[async_trait_ext(native, dyn = …)]`, or remove `dyn = …`"
        }
        Item::Impl(_) if options.native.is_none() => {
            "`dyn = …` means nothing on an impl block: it names a native trait's companion, and \
             goes on the trait; remove it here"
        }
        _ => return None,
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
    match item {
        Item::Trait(item_trait) if options.native.is_some() => {
            native::expand_trait(item_trait, options)
        }
        Item::Trait(item_trait) => boxed::expand_trait(item_trait, options),
        Item::Impl(item_impl) => {
            if let Some(native) = &options.native {
                let error = syn::Error::new(
                    native.span(),
                    "`native` means nothing on an impl block: impls of a native trait are plain \
                     `async fn`s and need no attribute; remove `#[async_trait_ext(native)]` here",
                );
                return error_with_fallback(&error, strip_method_options(Item::Impl(item_impl)));
            }
            boxed::expand_impl(item_impl, options)
        }
        other => other.into_token_stream(),
    }
}

/// The per-method options: `#[async_trait_ext(?Send)]` on one method of a trait or impl.
/// Removes that attribute from `attrs` and returns the span of its `?Send`, if any.
pub(crate) fn take_method_options(attrs: &mut Vec<Attribute>) -> syn::Result<Option<Span>> {
    let Some(index) = attrs.iter().position(is_own_attribute) else {
        return Ok(None);
    };
    let attr = attrs.remove(index);
    if let Some(again) = attrs.iter().find(|attr| is_own_attribute(attr)) {
        return Err(syn::Error::new_spanned(
            again,
            "`#[async_trait_ext]` is given twice on this method; keep one",
        ));
    }
    let args = match &attr.meta {
        syn::Meta::List(list) => list.tokens.clone(),
        _ => TokenStream::new(),
    };
    let mut options = Options::parse(args, "async_trait_ext")?;
    let relaxed_send = options.take_relaxed("Send")?;
    options.finish(&["?Send"])?;
    if relaxed_send.is_none() {
        return Err(syn::Error::new_spanned(
            attr,
            "on a method, `#[async_trait_ext]` takes one option: write `#[async_trait_ext(?Send)]`",
        ));
    }
    Ok(relaxed_send)
}

/// The item without per-method `#[async_trait_ext(..)]` attributes, for error fallbacks (so
/// the only error is ours, not "cannot find attribute").
pub(crate) fn strip_method_options(mut item: Item) -> TokenStream {
    match &mut item {
        Item::Trait(item_trait) => {
            for trait_item in &mut item_trait.items {
                if let syn::TraitItem::Fn(method) = trait_item {
                    method.attrs.retain(|attr| !is_own_attribute(attr));
                }
            }
        }
        Item::Impl(item_impl) => {
            for impl_item in &mut item_impl.items {
                if let syn::ImplItem::Fn(method) = impl_item {
                    method.attrs.retain(|attr| !is_own_attribute(attr));
                }
            }
        }
        _ => {}
    }
    item.into_token_stream()
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

    use super::{CompanionName, TraitOptions};

    #[test]
    fn a_bad_option_keeps_the_options_that_parsed() {
        let (options, error) = TraitOptions::parse(quote!(native, ?Send, dyn = Other, bogus));
        assert!(options.native.is_some());
        assert!(options.relaxed_send.is_some());
        assert!(matches!(&options.companion, CompanionName::Named(name) if name == "Other"));
        let error = error.map(|error| error.to_string()).unwrap_or_default();
        assert!(error.starts_with("unknown option `bogus`"), "{error}");
    }

    #[test]
    fn an_option_given_twice_is_given() {
        let (options, error) = TraitOptions::parse(quote!(native, native, ?Send, ?Send));
        assert!(options.native.is_some());
        assert!(options.relaxed_send.is_some());
        let messages: Vec<String> = error
            .into_iter()
            .flat_map(|error| error.into_iter().map(|error| error.to_string()))
            .collect();
        assert_eq!(
            messages,
            [
                "option `Send` is given twice; remove one",
                "option `native` is given twice; remove one",
            ]
        );
    }

    #[test]
    fn a_bad_value_or_list_falls_back_to_the_defaults() {
        let (options, error) = TraitOptions::parse(quote!(native, dyn = 3));
        assert!(options.native.is_some());
        assert!(matches!(options.companion, CompanionName::Default));
        assert!(error.is_some());
        let (options, error) = TraitOptions::parse(quote!(native, dyn =));
        assert!(options.native.is_none());
        assert!(error.is_some());
    }

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
