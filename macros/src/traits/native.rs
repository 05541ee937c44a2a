//! Native mode: each `async fn` of the trait becomes `fn m(..) -> impl Future<Output = R> +
//! Send` (a return-position `impl Trait` in the trait, stable since Rust 1.75), so impls are
//! plain `async fn`s and static calls allocate nothing. Methods returning `impl Trait` promise
//! `Send` too, and generator methods are rewritten here (`stream_methods`). The `Dyn`
//! companion (`companion`) gives dynamic dispatch; `local` writes the variant without `Send`.

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::{ItemTrait, ReturnType, TraitItem, TraitItemFn, Type};

use super::attributes::{apply_async_scope, strip_method_options, take_method_options};
use super::method_kind::MethodKind;
use super::options::{CompanionName, NativeOptions, TraitOptions};
use super::receiver::{ReceiverShape, SelfNeeds};
use super::{asyncness, companion, contract_docs};
use crate::common::async_body::{
    HiddenNames, SelfBinding, async_move, future_block, future_fn_allows, move_arguments,
};
use crate::common::crate_path::CratePath;
use crate::common::errors::{Errors, error_with_fallback};
use crate::common::spans::located_at;

mod local;
// Generator methods need the generator expanders: with the `streams` feature off there is no
// `#[async_stream]` to write.
#[cfg(feature = "streams")]
mod stream_methods;

#[cfg(feature = "streams")]
use self::stream_methods::{rewrite_stream_method, take_stream_attribute};

pub(crate) fn expand_trait(
    item: ItemTrait,
    options: &TraitOptions,
    native: &NativeOptions,
) -> TokenStream {
    let original = item.clone();
    let mut item = item;
    // Records of which methods are native `async fn`s, so a boxed `#[async_trait_ext]` impl of
    // this trait is told to drop the attribute (see `asyncness`).
    let records: Vec<_> = item
        .items
        .iter()
        .filter_map(|trait_item| match trait_item {
            TraitItem::Fn(method) => asyncness::native_trait_record(&method.attrs, &method.sig),
            _ => None,
        })
        .collect();
    let mut errors = Errors::default();
    let mode = MethodMode {
        send: options.relaxed_send.is_none(),
        native_span: native.native.span(),
        krate: &options.krate,
    };
    // The local variant is made from the trait as written, before the loop below rewrites it.
    let local = native
        .local
        .as_ref()
        .map(|local| local::expand(&original, local, &mode));
    let mut kinds = Vec::with_capacity(item.items.len());
    let mut stream_errors = TokenStream::new();
    for trait_item in &mut item.items {
        let kind = match trait_item {
            TraitItem::Fn(method) => {
                errors.push_result(rewrite_method(method, &mode, &mut stream_errors))
            }
            _ => None,
        };
        kinds.push(kind);
    }
    if let Err(error) = errors.finish() {
        // The trait as written (with plain `async fn`s) still compiles, so impls and callers
        // type-check against it and the user sees only this error.
        return error_with_fallback(&error, strip_method_options(syn::Item::Trait(original)));
    }
    let default_name = format_ident!("Dyn{}", item.ident);
    let companion_name = match &native.companion {
        CompanionName::Disabled => None,
        CompanionName::Default => Some((&default_name, None)),
        CompanionName::Named(vis, name) => Some((name, vis.as_ref())),
    };
    let companion = companion_name.map_or(Ok(TokenStream::new()), |(name, vis)| {
        companion::expand(&item, &kinds, name, vis, options)
    });
    contract_docs::native(
        &mut item,
        mode.send,
        companion_name.map(|(name, _)| name),
        native.local.as_ref(),
    );
    // The records are a `where Self: Sized` method with a default body (and a struct beside
    // the trait): added after the companion is built, they stay out of it.
    let records_struct = asyncness::trait_records(&item, &records).map(|(beside, method)| {
        item.items.push(method);
        beside
    });
    let local = match local {
        Some(Ok(local)) => local,
        Some(Err(error)) => error.to_compile_error(),
        None => TokenStream::new(),
    };
    match companion {
        Ok(companion) => quote!(#stream_errors #records_struct #item #companion #local),
        Err(error) => {
            error_with_fallback(&error, quote!(#stream_errors #records_struct #item #local))
        }
    }
}

/// What every method of one trait is rewritten with.
pub(super) struct MethodMode<'o> {
    /// The trait is in `Send` mode (no trait-wide `?Send`).
    send: bool,
    /// The `native` token, where rustc's note on a missing `Send` points.
    native_span: proc_macro2::Span,
    krate: &'o CratePath,
}

impl MethodMode<'_> {
    /// The same mode without `Send`: the local variant's.
    fn local(&self) -> Self {
        MethodMode {
            send: false,
            ..*self
        }
    }
}

// Input:  async fn get(&self, key: &str) -> Option<Vec<u8>>;
// Output: fn get(&self, key: &str)
//             -> impl ::core::future::Future<Output = Option<Vec<u8>>> + ::core::marker::Send;
//
// Input:  async fn len(&self, (a, b): (u8, u8)) -> usize { body }
// Output: fn len(&self, __arg1: (u8, u8)) -> impl Future<Output = usize> + Send
//         where Self: ::async_ext::__private::DefaultBodySync
//         { async move { let (a, b) = __arg1; body } }
fn rewrite_method(
    method: &mut TraitItemFn,
    mode: &MethodMode<'_>,
    stream_errors: &mut TokenStream,
) -> syn::Result<MethodKind> {
    let method_relaxed = take_method_options(&mut method.attrs)?;
    let send = mode.send && method_relaxed.is_none();
    #[cfg(feature = "streams")]
    if let Some((attr, flavor)) = take_stream_attribute(&mut method.attrs) {
        stream_errors.extend(rewrite_stream_method(method, &attr, flavor, send, mode));
        return Ok(MethodKind::Sync);
    }
    #[cfg(not(feature = "streams"))]
    let _ = &stream_errors;
    let Some(async_token) = method.sig.asyncness else {
        return rewrite_sync_method(method, send, method_relaxed);
    };
    let span = async_token.span;

    if let Some(block) = &mut method.default {
        // Applied here, while the method is still an `async fn`.
        apply_async_scope(&mut method.attrs, &mut method.sig, block, mode.krate)?;
    }

    let sig = &mut method.sig;
    sig.asyncness = None;
    let declared = sig.output.clone();
    let output: Box<Type> = match &sig.output {
        ReturnType::Default => Box::new(syn::parse_quote_spanned!(span=> ())),
        ReturnType::Type(_, ty) => ty.clone(),
    };
    // rustc's "required by this bound" note for a non-`Send` impl shows the bound's span: put
    // it on `native` in the trait's attribute, the line where `?Send` would be written. Not
    // with a default body: rustc reports that body's non-`Send` future at the whole return
    // type, whose span would then stretch from the attribute to the method.
    let send_span = match &method.default {
        None => mode.native_span,
        Some(_) => span,
    };
    let send_bound = send.then(|| quote_spanned!(send_span=> + ::core::marker::Send));
    sig.output = syn::parse_quote_spanned! {span=>
        -> impl ::core::future::Future<Output = #output> #send_bound
    };

    if let Some(block) = method.default.take() {
        if send {
            bound_self_for_send(sig, mode.krate);
        }
        let moved = move_arguments(sig, SelfBinding::Captured, HiddenNames::Short);
        let body = async_move(span, future_block(Some(&declared), moved, block, None));
        method.default = Some(syn::parse2(quote_spanned! {span=> { #body } })?);
        method.attrs.push(future_fn_allows());
    }
    Ok(MethodKind::Async { output, send })
}

/// A default body's future (or stream) holds the receiver: `where Self: DefaultBodySync` for
/// `&self`, `DefaultBodySend` for an owned or `&mut` receiver, so that it is `Send`
/// (async-trait's bounds). The support crate's names for `Sync` and `Send` carry a message
/// naming the default body and the fixes, and the bound sits at the method's name, where
/// rustc's "required by this bound" note then points.
fn bound_self_for_send(sig: &mut syn::Signature, krate: &CratePath) {
    let Some(needs) = SelfNeeds::of_shape(ReceiverShape::of(sig)) else {
        return;
    };
    let private = krate.private();
    let send = needs
        .needs_send()
        .then(|| quote!(#private::DefaultBodySend));
    let sync = needs
        .needs_sync()
        .then(|| quote!(#private::DefaultBodySync));
    let bounds = send.into_iter().chain(sync);
    let predicate = located_at(quote!(Self: #(#bounds)+*), sig.ident.span());
    sig.generics
        .make_where_clause()
        .predicates
        .push(syn::parse_quote!(#predicate));
}

// Input:  fn iter(&self) -> impl Iterator<Item = u32>;
// Output: fn iter(&self) -> impl Iterator<Item = u32> + ::core::marker::Send;
//
// A sync method returning `impl Trait` promises `Send` in a `Send` trait, as trait-variant's
// `Send` variant does (unless it carries `#[async_trait_ext(?Send)]`); any other sync method
// passes through.
fn rewrite_sync_method(
    method: &mut TraitItemFn,
    send: bool,
    method_relaxed: Option<proc_macro2::Span>,
) -> syn::Result<MethodKind> {
    let Some(impl_trait) = returned_impl_trait(&mut method.sig) else {
        return relaxed_means_nothing(method_relaxed);
    };
    if send && !impl_trait.bounds.iter().any(is_send_bound) {
        // Spanned at the last bound, so that an error at the whole type still covers it.
        let span = impl_trait
            .bounds
            .to_token_stream()
            .into_iter()
            .last()
            .map_or(impl_trait.impl_token.span, |token| token.span());
        impl_trait
            .bounds
            .push(syn::parse_quote_spanned!(span=> ::core::marker::Send));
    }
    Ok(MethodKind::Sync)
}

fn relaxed_means_nothing(method_relaxed: Option<proc_macro2::Span>) -> syn::Result<MethodKind> {
    match method_relaxed {
        Some(span) => Err(syn::Error::new(
            span,
            "`?Send` here means nothing: this method is not `async` and does not return \
             `impl Trait`; remove `#[async_trait_ext(?Send)]` or make the method an `async fn`",
        )),
        None => Ok(MethodKind::Sync),
    }
}

/// `Send`, however its path is spelled.
pub(super) fn is_send_bound(bound: &syn::TypeParamBound) -> bool {
    matches!(bound, syn::TypeParamBound::Trait(bound)
        if bound.path.segments.last().is_some_and(|last| last.ident == "Send"))
}

/// The `impl Trait` a signature returns, if it returns one.
fn returned_impl_trait(sig: &mut syn::Signature) -> Option<&mut syn::TypeImplTrait> {
    match &mut sig.output {
        ReturnType::Type(_, returned) => match &mut **returned {
            Type::ImplTrait(impl_trait) => Some(impl_trait),
            _ => None,
        },
        ReturnType::Default => None,
    }
}
