//! Native mode: each `async fn` of the trait becomes `fn m(..) -> impl Future<Output = R> +
//! Send` (a return-position `impl Trait` in the trait, stable since Rust 1.75), so impls are
//! plain `async fn`s and static calls allocate nothing; the `Dyn` companion (`companion.rs`)
//! gives dynamic dispatch.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;
use syn::{FnArg, Ident, ItemTrait, Pat, PatIdent, ReturnType, TraitItem, TraitItemFn, Type};

use super::arguments::{native_argument_name, plain_binding};
use super::attributes::{apply_async_scope, is_stream_method};
use super::boxed::ImplTraitToInfer;
use super::receiver::{ReceiverShape, SelfNeeds};
use super::{CompanionName, TraitOptions, strip_method_options, take_method_options};
use super::{asyncness, companion};
use crate::common::errors::{Errors, error_with_fallback};

/// What native mode made of one method of the trait; the companion reads it.
pub(crate) enum MethodKind {
    /// An `async fn`, now returning `impl Future<Output = output>`.
    Async {
        /// The future's output type, as the user wrote it (`()` when there was none).
        output: Box<Type>,
        /// Whether the future is `Send` (not under a trait-wide or per-method `?Send`).
        send: bool,
    },
    /// A method that was not `async`: it passes through unchanged.
    Sync,
    /// A method carrying `#[async_stream]`/`#[async_try_stream]`: that attribute rewrites it.
    Stream,
}

pub(crate) fn expand_trait(item: ItemTrait, options: &TraitOptions) -> TokenStream {
    let original = item.clone();
    let mut item = item;
    // Records of which methods are native `async fn`s, so a boxed `#[async_trait_ext]` impl of
    // this trait is told to drop the attribute (see `asyncness`).
    let records: Vec<TraitItem> = item
        .items
        .iter()
        .filter_map(|trait_item| match trait_item {
            TraitItem::Fn(method) => {
                asyncness::native_trait_marker(&method.attrs, &method.sig, &options.krate)
            }
            _ => None,
        })
        .collect();
    let mut errors = Errors::default();
    let mut kinds = Vec::with_capacity(item.items.len());
    for trait_item in &mut item.items {
        let kind = match trait_item {
            TraitItem::Fn(method) => errors.push_result(rewrite_method(method, options)),
            _ => None,
        };
        kinds.push(kind);
    }
    if let Err(error) = errors.finish() {
        // The trait as written (with plain `async fn`s) still compiles, so impls and callers
        // type-check against it and the user sees only this error.
        return error_with_fallback(&error, strip_method_options(syn::Item::Trait(original)));
    }
    let companion = match &options.companion {
        CompanionName::Disabled => Ok(TokenStream::new()),
        CompanionName::Default => {
            let name = format_ident!("Dyn{}", item.ident);
            companion::expand(&item, &kinds, &name, options)
        }
        CompanionName::Named(name) => companion::expand(&item, &kinds, name, options),
    };
    // The records are `where Self: Sized` methods with default bodies: added after the
    // companion is built, they stay out of it and cost the companion nothing.
    item.items.extend(records);
    match companion {
        Ok(companion) => quote!(#item #companion),
        Err(error) => error_with_fallback(&error, item),
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
fn rewrite_method(method: &mut TraitItemFn, options: &TraitOptions) -> syn::Result<MethodKind> {
    if is_stream_method(&method.attrs) {
        return Ok(MethodKind::Stream);
    }
    let method_relaxed = take_method_options(&mut method.attrs)?;
    let Some(async_token) = method.sig.asyncness else {
        if let Some(span) = method_relaxed {
            return Err(syn::Error::new(
                span,
                "`?Send` here means nothing: this method is not `async`; remove \
                 `#[async_trait_ext(?Send)]` or make the method an `async fn`",
            ));
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
    let output: Box<Type> = match &sig.output {
        ReturnType::Default => Box::new(syn::parse_quote_spanned!(span=> ())),
        ReturnType::Type(_, ty) => ty.clone(),
    };
    // rustc's "required by this bound" note for a non-`Send` impl shows the bound's span: put
    // it on `native` in the trait's attribute, the line where `?Send` would be written. Not
    // with a default body: rustc reports that body's non-`Send` future at the whole return
    // type, whose span would then stretch from the attribute to the method.
    let send_span = match (&method.default, &options.native) {
        (None, Some(native)) => native.span(),
        _ => span,
    };
    let send_bound = send.then(|| quote_spanned!(send_span=> + ::core::marker::Send));
    sig.output = syn::parse_quote_spanned! {span=>
        -> impl ::core::future::Future<Output = #output> #send_bound
    };

    if let Some(block) = method.default.take() {
        let shape = ReceiverShape::of(sig);
        if let Some(needs) = SelfNeeds::of_shape(shape).filter(|_| send) {
            let send = needs.needs_send().then(|| quote!(::core::marker::Send));
            let sync = needs.needs_sync().then(|| quote!(::core::marker::Sync));
            let bounds = send.into_iter().chain(sync);
            sig.generics
                .make_where_clause()
                .predicates
                .push(syn::parse_quote_spanned!(span=> Self: #(#bounds)+*));
        }
        let rebinds = move_arguments_into_future(sig, shape);
        // As in an `async fn`, a `return` in the body is checked against the declared output
        // (`return &Thing;` coerces to `&dyn Ret`): the first `return` an async block sees
        // fixes its output type, so one of type `R` comes first, unreachable.
        let mut declared = (*output).clone();
        ImplTraitToInfer.visit_type_mut(&mut declared);
        let ret = Ident::new("__async_ext_ret", Span::mixed_site());
        let body = quote_spanned! {span=>
            async move {
                if let ::core::option::Option::Some(#ret) =
                    ::core::option::Option::None::<#declared>
                {
                    #[allow(unreachable_code)]
                    return #ret;
                }
                #(#rebinds)*
                #block
            }
        };
        // `async_yields_async` reports an async block yielding a future (`-> Ready<u8>`), which
        // it does not for an `async fn`: the allow sits on the `let` around the block.
        method.default = Some(syn::parse2(quote_spanned! {span=> {
            #[allow(clippy::async_yields_async)]
            let #ret = #body;
            #ret
        }})?);
    }
    Ok(MethodKind::Async { output, send })
}

/// Rewrites the arguments of a default body so that, as in a native `async fn`, every argument
/// is moved into the future and dropped when it ends (not when the method is called), and
/// patterns are bound inside the future. Returns the `let`s that open the future's body.
///
/// `x: T` stays; `mut x: T` becomes `x: T` (the binding inside is mutable); any other pattern
/// becomes a hidden `__argN` (rustdoc shows it) bound to the pattern inside.
fn move_arguments_into_future(sig: &mut syn::Signature, shape: ReceiverShape) -> Vec<TokenStream> {
    let mut rebinds = Vec::new();
    for (index, input) in sig.inputs.iter_mut().enumerate() {
        match input {
            FnArg::Receiver(receiver) => {
                if shape.owns_self() {
                    let self_token = receiver.self_token;
                    rebinds.push(quote!(let _ = &#self_token;));
                }
            }
            FnArg::Typed(arg) => {
                let attrs = &arg.attrs;
                match &mut *arg.pat {
                    Pat::Ident(PatIdent {
                        by_ref: None,
                        mutability,
                        ident,
                        subpat: None,
                        ..
                    }) if ident != "self" => {
                        let mutability = mutability.take();
                        rebinds.push(quote! {
                            #(#attrs)*
                            #[allow(clippy::redundant_locals)]
                            let #mutability #ident = #ident;
                        });
                    }
                    pat => {
                        let name = native_argument_name(index);
                        let user_pat = std::mem::replace(pat, plain_binding(name.clone()));
                        let user_pat = user_pat.into_token_stream();
                        // Move the whole argument in first: `let (a, _) = __arg1;` alone would
                        // capture only `__arg1.0` and drop the rest when the method is called.
                        rebinds.push(quote_spanned! {user_pat.span()=>
                            #(#attrs)*
                            let #name = #name;
                            #(#attrs)*
                            let #user_pat = #name;
                        });
                    }
                }
            }
        }
    }
    rebinds
}
