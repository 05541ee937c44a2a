//! Native mode: each `async fn` of the trait becomes `fn m(..) -> impl Future<Output = R> +
//! Send` (a return-position `impl Trait` in the trait, stable since Rust 1.75), so impls are
//! plain `async fn`s and static calls allocate nothing; the `Dyn` companion (`companion.rs`)
//! gives dynamic dispatch.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::{ItemTrait, ReturnType, TraitItem, TraitItemFn, Type};

use super::attributes::{
    apply_async_scope, is_stream_method, strip_method_options, take_method_options,
};
use super::method_kind::MethodKind;
use super::options::{CompanionName, NativeOptions, TraitOptions};
use super::receiver::{ReceiverShape, SelfNeeds};
use super::{asyncness, companion, local_variant};
use crate::common::async_body::{
    HiddenNames, SelfBinding, async_move, future_block, future_fn_allows, move_arguments,
};
use crate::common::errors::{Errors, error_with_fallback};

pub(crate) fn expand_trait(
    item: ItemTrait,
    options: &TraitOptions,
    native: &NativeOptions,
) -> TokenStream {
    let original = item.clone();
    let mut item = item;
    // Records of which methods are native `async fn`s, so a boxed `#[async_trait_ext]` impl of
    // this trait is told to drop the attribute (see `asyncness`).
    let records: Vec<TraitItem> = item
        .items
        .iter()
        .filter_map(|trait_item| match trait_item {
            TraitItem::Fn(method) => asyncness::native_trait_marker(&method.attrs, &method.sig),
            _ => None,
        })
        .collect();
    let mut errors = Errors::default();
    let mut kinds = Vec::with_capacity(item.items.len());
    for trait_item in &mut item.items {
        let kind = match trait_item {
            TraitItem::Fn(method) => errors.push_result(rewrite_method(method, options, native)),
            _ => None,
        };
        kinds.push(kind);
    }
    if let Err(error) = errors.finish() {
        // The trait as written (with plain `async fn`s) still compiles, so impls and callers
        // type-check against it and the user sees only this error.
        return error_with_fallback(&error, strip_method_options(syn::Item::Trait(original)));
    }
    let companion = match &native.companion {
        CompanionName::Disabled => Ok(TokenStream::new()),
        CompanionName::Default => {
            let name = format_ident!("Dyn{}", item.ident);
            companion::expand(&item, &kinds, &name, options)
        }
        CompanionName::Named(name) => companion::expand(&item, &kinds, name, options),
    };
    let local = native.local.as_ref().map_or_else(
        || Ok(TokenStream::new()),
        |name| local_variant::expand(&original, &item, name),
    );
    // The records are `where Self: Sized` methods with default bodies: added after the
    // companion is built, they stay out of it and cost the companion nothing.
    item.items.extend(records);
    match (companion, local) {
        (Ok(companion), Ok(local)) => quote!(#item #companion #local),
        (Err(error), Ok(_)) | (Ok(_), Err(error)) => error_with_fallback(&error, item),
        (Err(mut error), Err(local_error)) => {
            error.combine(local_error);
            error_with_fallback(&error, item)
        }
    }
}

// Input:  async fn get(&self, key: &str) -> Option<Vec<u8>>;
// Output: fn get(&self, key: &str)
//             -> impl ::core::future::Future<Output = Option<Vec<u8>>> + ::core::marker::Send;
//
// Input:  async fn len(&self, (a, b): (u8, u8)) -> usize { body }
// Output: fn len(&self, __arg1: (u8, u8)) -> impl Future<Output = usize> + Send
//         where Self: ::core::marker::Sync
//         { async move { let (a, b) = __arg1; body } }
fn rewrite_method(
    method: &mut TraitItemFn,
    options: &TraitOptions,
    native: &NativeOptions,
) -> syn::Result<MethodKind> {
    let method_relaxed = take_method_options(&mut method.attrs)?;
    if is_stream_method(&method.attrs) {
        if options.relaxed_send.is_none() && method_relaxed.is_none() {
            promise_send_stream(&mut method.attrs);
            if method.default.is_some() {
                let span = method.sig.fn_token.span;
                bound_self_for_send_body(&mut method.sig, span);
            }
        }
        return Ok(MethodKind::Stream);
    }
    let Some(async_token) = method.sig.asyncness else {
        let Some(returned) = returned_impl_trait(&mut method.sig.output) else {
            if let Some(span) = method_relaxed {
                return Err(syn::Error::new(
                    span,
                    "`?Send` here means nothing: this method is not `async`; remove \
                     `#[async_trait_ext(?Send)]` or make the method an `async fn`",
                ));
            }
            return Ok(MethodKind::Sync);
        };
        // `-> impl Trait` in a `Send` trait promises `Send` too, as trait-variant's `Send`
        // variant does: generic code may send what it gets (the impl's type must be `Send`).
        if options.relaxed_send.is_none() && method_relaxed.is_none() && !bounds_send(returned) {
            let span = returned.impl_token.span;
            returned
                .bounds
                .push(syn::parse_quote_spanned!(span=> ::core::marker::Send));
        }
        return Ok(MethodKind::Sync);
    };
    let span = async_token.span;
    let send = options.relaxed_send.is_none() && method_relaxed.is_none();

    if let Some(block) = &mut method.default {
        // Applied here, while the method is still an `async fn`.
        apply_async_scope(&mut method.attrs, &mut method.sig, block, &options.krate)?;
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
        None => native.native.span(),
        Some(_) => span,
    };
    let send_bound = send.then(|| quote_spanned!(send_span=> + ::core::marker::Send));
    sig.output = syn::parse_quote_spanned! {span=>
        -> impl ::core::future::Future<Output = #output> #send_bound
    };

    if let Some(block) = method.default.take() {
        if send {
            bound_self_for_send_body(sig, span);
        }
        let moved = move_arguments(sig, SelfBinding::Captured, HiddenNames::Short);
        let body = async_move(span, future_block(Some(&declared), moved, block, None));
        method.default = Some(syn::parse2(quote_spanned! {span=> { #body } })?);
        method.attrs.push(future_fn_allows());
    }
    Ok(MethodKind::Async { output, send })
}

/// The `impl Trait` a method returns, if its return type is one.
fn returned_impl_trait(output: &mut ReturnType) -> Option<&mut syn::TypeImplTrait> {
    match output {
        ReturnType::Type(_, ty) => match &mut **ty {
            Type::ImplTrait(impl_trait) => Some(impl_trait),
            _ => None,
        },
        ReturnType::Default => None,
    }
}

/// Whether an `impl Trait`'s bounds already include `Send`.
fn bounds_send(impl_trait: &syn::TypeImplTrait) -> bool {
    impl_trait.bounds.iter().any(|bound| {
        matches!(bound, syn::TypeParamBound::Trait(bound)
            if bound.path.segments.last().is_some_and(|segment| segment.ident == "Send"))
    })
}

// Input:  `#[async_stream(item = u64)]` on a method of a `Send` native trait
// Output: `#[async_stream(item = u64, __send)]`: the stream is declared `impl Stream + Send`,
//         as the trait's futures are (`boxed` streams are `Send` already, `boxed_local` ones
//         are not on purpose).
fn promise_send_stream(attrs: &mut [syn::Attribute]) {
    for attr in attrs
        .iter_mut()
        .filter(|attr| is_stream_method(std::slice::from_ref(*attr)))
    {
        let syn::Meta::List(list) = &mut attr.meta else {
            continue;
        };
        let boxed = list.tokens.clone().into_iter().any(|tree| {
            matches!(&tree, proc_macro2::TokenTree::Ident(ident)
                if ident == "boxed" || ident == "boxed_local")
        });
        if !boxed {
            let span = list.delimiter.span().close();
            let ends_in_comma = list.tokens.clone().into_iter().last().is_some_and(
                |tree| matches!(tree, proc_macro2::TokenTree::Punct(punct) if punct.as_char() == ','),
            );
            let comma = (!ends_in_comma).then(|| quote_spanned!(span=> ,));
            list.tokens.extend(quote_spanned!(span=> #comma __send));
        }
    }
}

/// `where Self: Sync` (by the receiver: `Send`, or both) on a default body whose future or
/// stream must be `Send`: the body is written once for every `Self`, and holds its receiver.
fn bound_self_for_send_body(sig: &mut syn::Signature, span: proc_macro2::Span) {
    let Some(needs) = SelfNeeds::of_shape(ReceiverShape::of(sig)) else {
        return;
    };
    let send = needs.needs_send().then(|| quote!(::core::marker::Send));
    let sync = needs.needs_sync().then(|| quote!(::core::marker::Sync));
    let bounds = send.into_iter().chain(sync);
    sig.generics
        .make_where_clause()
        .predicates
        .push(syn::parse_quote_spanned!(span=> Self: #(#bounds)+*));
}
