//! Boxed mode: each `async fn` returns `Pin<Box<dyn Future<Output = R> + Send + 'async_trait>>`,
//! compatible with async-trait (same signatures, so traits and impls of either crate mix).
//!
//! Input:
//! ```text
//! #[async_trait_ext]
//! trait Store { async fn get(&self, key: &str) -> Option<u8>; }
//! ```
//! Output:
//! ```text
//! mod __async_ext_boxed_… { /* `Box`, `SendBox::pin`: see `boxing` */ }
//! trait Store {
//!     fn get<'life0, 'life1, 'async_trait>(&'life0 self, key: &'life1 str)
//!         -> ::core::pin::Pin<__async_ext_boxed_…::Box<
//!                dyn ::core::future::Future<Output = Option<u8>> + ::core::marker::Send
//!                    + 'async_trait>>
//!     where 'life0: 'async_trait, 'life1: 'async_trait, Self: 'async_trait;
//! }
//! ```
//! and an impl's body `{ BODY }` becomes `__async_ext_boxed_…::SendBox::pin(async move {
//! GUARD; let __async_ext_self = self; BODY's statements })` (`…::Box::pin` under `?Send`).
//!
//! Besides, the trait gets hidden items that only serve diagnostics: one record of every
//! method's asyncness, a struct beside the trait and a `where Self: Sized` method returning it
//! (see `asyncness`), and per generic method without `where Self: Sized` a const naming that fix
//! (see `dyn_hint`). The impl gets a probe checking its methods against the records.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{
    Attribute, Block, FnArg, GenericParam, Generics, ImplItem, Lifetime, Pat, ReturnType,
    Signature, Stmt, Token, TraitItem, TypeParamBound, WherePredicate,
};

use super::attributes::{apply_async_scope, cfg_attrs, is_stream_method, take_async_scope};
use super::attributes::{strip_method_options, take_method_options};
use super::boxing::Boxing;
use super::dyn_hint::dyn_hint;
use super::options::TraitOptions;
use super::receiver::{SelfNeeds, mentions_self_in_block, mentions_self_in_sig};
use super::{asyncness, contract_docs};
use crate::common::async_body::{
    HiddenNames, SelfBinding, async_move, future_block, future_fn_allows, move_arguments,
    plain_binding,
};
use crate::common::crate_path::CratePath;
use crate::common::errors::{Errors, error_with_fallback};
use crate::common::lifetimes::{
    Naming, OutputElision, bound_impl_trait_arguments, elide_output_lifetimes,
    name_elided_input_lifetimes,
};
use crate::common::spans::located_at;

/// Where a method sits: what its signature may borrow from, and what `Self` already promises.
enum Context<'a> {
    Trait {
        generics: &'a Generics,
        supertraits: &'a Punctuated<TypeParamBound, Token![+]>,
    },
    Impl {
        generics: &'a Generics,
    },
}

impl Context<'_> {
    fn outer_generics(&self) -> &Generics {
        match self {
            Context::Trait { generics, .. } | Context::Impl { generics } => generics,
        }
    }

    /// Whether the trait's supertraits already include `Send`/`Sync` (`trait T: Sync`), so the
    /// bound need not be repeated on each method.
    fn supertraits_include(&self, marker: &str) -> bool {
        let Context::Trait { supertraits, .. } = self else {
            return false;
        };
        supertraits.iter().any(|bound| {
            let TypeParamBound::Trait(bound) = bound else {
                return false;
            };
            let segments: Vec<String> = bound
                .path
                .segments
                .iter()
                .map(|segment| segment.ident.to_string())
                .collect();
            let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
            matches!(
                segments.as_slice(),
                [only] if *only == marker
            ) || matches!(
                segments.as_slice(),
                ["std" | "core", "marker", last] if *last == marker
            )
        })
    }
}

/// What one method is expanded with.
struct MethodPlan<'a> {
    context: &'a Context<'a>,
    /// The future is `Send` (no `?Send` on the trait/impl or on this method).
    send: bool,
    krate: &'a CratePath,
    boxing: &'a Boxing,
}

pub(crate) fn expand_trait(mut item: syn::ItemTrait, options: &TraitOptions) -> TokenStream {
    let boxing = Boxing::for_item(&item);
    let mut errors = Errors::default();
    let generics = item.generics.clone();
    let supertraits = item.supertraits.clone();
    let context = Context::Trait {
        generics: &generics,
        supertraits: &supertraits,
    };
    let mut markers = Vec::new();
    let mut records = Vec::new();
    for trait_item in &mut item.items {
        let TraitItem::Fn(method) = trait_item else {
            continue;
        };
        let send = take_method_send(&mut method.attrs, &method.sig, options, &mut errors);
        records.extend(asyncness::trait_record(&method.attrs, &method.sig, send));
        if !context.supertraits_include("Sized") {
            markers.push(dyn_hint(&method.sig));
        }
        if method.sig.asyncness.is_none() || is_stream_method(&method.attrs) {
            continue;
        }
        let plan = MethodPlan {
            context: &context,
            send,
            krate: &options.krate,
            boxing: &boxing,
        };
        let mut mentions_self = mentions_self_in_sig(&mut method.sig);
        if let Some(block) = &mut method.default {
            if let Err(error) =
                apply_async_scope(&mut method.attrs, &mut method.sig, block, plan.krate)
            {
                errors.push(error);
                continue;
            }
            mentions_self |= mentions_self_in_block(block);
            box_body(&mut method.sig, block, &plan);
            method.attrs.push(future_fn_allows());
        } else if let Some(attr) = take_async_scope(&mut method.attrs) {
            errors.push(syn::Error::new_spanned(
                attr,
                "`#[async_scope]` on a trait method without a body means nothing; \
                 put it on the method in each impl",
            ));
        }
        let has_default = method.default.is_some();
        box_signature(
            &mut method.sig,
            &plan,
            mentions_self,
            has_default,
            has_default,
        );
        method.attrs.push(signature_lint_allows());
    }
    item.items.extend(markers.into_iter().flatten());
    let records_struct = asyncness::trait_records(&item, &records).map(|(beside, method)| {
        item.items.push(method);
        beside
    });
    let module = boxing.module(&cfg_attrs(&item.attrs).collect::<Vec<_>>());
    contract_docs::boxed(&mut item, options.relaxed_send.is_none());
    match errors.finish() {
        Ok(()) => quote!(#module #records_struct #item),
        Err(error) => {
            let item = strip_method_options(syn::Item::Trait(item));
            error_with_fallback(&error, quote!(#module #records_struct #item))
        }
    }
}

pub(crate) fn expand_impl(mut item: syn::ItemImpl, options: &TraitOptions) -> TokenStream {
    if item.trait_.is_none() {
        let error = syn::Error::new_spanned(
            &item.self_ty,
            "`#[async_trait_ext]` goes on a trait or an impl of a trait; \
             an inherent impl can use plain `async fn` methods, remove the attribute",
        );
        return error_with_fallback(&error, strip_method_options(syn::Item::Impl(item)));
    }
    let boxing = Boxing::for_item(&item);
    let mut errors = Errors::default();
    let generics = item.generics.clone();
    let context = Context::Impl {
        generics: &generics,
    };
    let mut written_methods = Vec::new();
    for impl_item in &mut item.items {
        let ImplItem::Fn(method) = impl_item else {
            continue;
        };
        let send = take_method_send(&mut method.attrs, &method.sig, options, &mut errors);
        written_methods.push(asyncness::WrittenMethod {
            attrs: method.attrs.clone(),
            sig: method.sig.clone(),
            send,
        });
        if method.sig.asyncness.is_none() || is_stream_method(&method.attrs) {
            continue;
        }
        let plan = MethodPlan {
            context: &context,
            send,
            krate: &options.krate,
            boxing: &boxing,
        };
        if let Err(error) = apply_async_scope(
            &mut method.attrs,
            &mut method.sig,
            &mut method.block,
            plan.krate,
        ) {
            errors.push(error);
            continue;
        }
        let mentions_self = mentions_self_in_sig(&mut method.sig);
        box_body(&mut method.sig, &mut method.block, &plan);
        method.attrs.push(future_fn_allows());
        box_signature(&mut method.sig, &plan, mentions_self, false, true);
        method.attrs.push(signature_lint_allows());
    }
    // Left out where `::async_ext` names nothing (the attribute reached through a re-export).
    let probes = if options.krate.is_reachable() {
        asyncness::impl_probes(&item, &written_methods, &options.krate)
    } else {
        TokenStream::new()
    };
    let module = boxing.module(&cfg_attrs(&item.attrs).collect::<Vec<_>>());
    match errors.finish() {
        Ok(()) => quote!(#module #item #probes),
        Err(error) => {
            let item = strip_method_options(syn::Item::Impl(item));
            error_with_fallback(&error, quote!(#module #item))
        }
    }
}

/// Takes a method's own `#[async_trait_ext(?Send)]` from `attrs` and returns whether its
/// future is `Send` (no `?Send` on the trait/impl or on the method). A bad option is
/// reported, and the method is still expanded (as if the option were absent), so that its
/// impls do not add errors of their own.
fn take_method_send(
    attrs: &mut Vec<Attribute>,
    sig: &Signature,
    options: &TraitOptions,
    errors: &mut Errors,
) -> bool {
    let relaxed = errors.push_result(take_method_options(attrs)).flatten();
    errors.push_result(check_method_options(relaxed, sig));
    options.relaxed_send.is_none() && relaxed.is_none()
}

/// `#[async_trait_ext(?Send)]` on a method that is not `async fn` means nothing.
fn check_method_options(relaxed: Option<Span>, sig: &Signature) -> syn::Result<()> {
    match relaxed {
        Some(span) if sig.asyncness.is_none() => Err(syn::Error::new(
            span,
            "`?Send` on a method that is not an `async fn` means nothing; \
             remove `#[async_trait_ext(?Send)]` from this method",
        )),
        _ => Ok(()),
    }
}

/// Lints that fire on the boxed signature itself, not on anything the user wrote:
/// the long `Pin<Box<dyn Future…>>` type, `Self: 'async_trait` next to the user's own `Self`
/// bounds, and an output `&T` elided while the inputs' lifetimes got names.
fn signature_lint_allows() -> Attribute {
    syn::parse_quote! {
        #[allow(
            mismatched_lifetime_syntaxes,
            clippy::type_complexity,
            clippy::type_repetition_in_bounds,
            clippy::needless_arbitrary_self_type,
        )]
    }
}

fn async_trait_lifetime() -> Lifetime {
    Lifetime::new("'async_trait", Span::call_site())
}

/// `'async_trait` located at `span` (resolving as always), so a predicate `X: 'async_trait`
/// built with it is reported at the user's `X`.
fn async_trait_at(span: Span) -> Lifetime {
    Lifetime::new("'async_trait", Span::call_site().located_at(span))
}

// Input:  `async fn f<'a, T: Bound>(&self, x: &'a T, y: &u8, mut z: impl Tr, (a, b): (u8, u8)) -> R`
// Output: `fn f<'a, 'life0, 'life1, 'async_trait, T: Bound>(
//              &'life0 self, x: &'a T, y: &'life1 u8, z: impl 'async_trait + Tr, __arg4: (u8, u8))
//              -> Pin<Box<dyn Future<Output = R> + Send + 'async_trait>>
//          where 'a: 'async_trait, T: 'async_trait, 'life0: 'async_trait, 'life1: 'async_trait,
//                Self: 'async_trait` (+ `Sync`/`Send` for a default body in a `Send` trait)
fn box_signature(
    sig: &mut Signature,
    plan: &MethodPlan<'_>,
    mentions_self: bool,
    has_default: bool,
    has_body: bool,
) {
    let async_trait = async_trait_lifetime();
    let Some(async_token) = sig.asyncness.take() else {
        return;
    };
    sig.fn_token.span = async_token.span;
    let lifetimes = name_elided_input_lifetimes(sig, Naming::AsyncTraitCompatible);
    // `-> &str` after `&'life0 self` names `'life0` (what elision gives it): Rust 1.85's
    // `elided_named_lifetimes` lint flags an output lifetime left elided beside named inputs.
    let output = match &sig.output {
        ReturnType::Default => quote_spanned!(sig.paren_token.span.join()=> ()),
        ReturnType::Type(_, ty) => {
            let mut ty = (**ty).clone();
            elide_output_lifetimes(&mut ty, &lifetimes, OutputElision::ReceiverFirst);
            ty.to_token_stream()
        }
    };
    let arrow = match &sig.output {
        ReturnType::Default => quote!(->),
        ReturnType::Type(arrow, _) => arrow.to_token_stream(),
    };

    let mut predicates = bound_method_generics(sig);
    let mut bounded_outer: Vec<&Lifetime> = Vec::new();
    for param in plan.context.outer_generics().lifetimes() {
        let lifetime = &param.lifetime;
        if lifetimes.explicit.contains(lifetime) && !bounded_outer.contains(&lifetime) {
            bounded_outer.push(lifetime);
            let async_trait = async_trait_at(lifetime.span());
            predicates.push(syn::parse_quote_spanned!(lifetime.span()=> #lifetime: #async_trait));
        }
    }
    for elided in &lifetimes.elided {
        sig.generics
            .params
            .push(GenericParam::Lifetime(syn::LifetimeParam::new(
                elided.clone(),
            )));
        let async_trait = async_trait_at(elided.span());
        predicates.push(syn::parse_quote_spanned!(elided.span()=> #elided: #async_trait));
    }
    sig.generics
        .params
        .push(GenericParam::Lifetime(syn::LifetimeParam::new(
            async_trait.clone(),
        )));
    if sig.generics.lt_token.is_none() {
        sig.generics.lt_token = Some(Token![<](sig.ident.span()));
        sig.generics.gt_token = Some(Token![>](sig.ident.span()));
    }

    if mentions_self {
        predicates.push(self_predicate(sig, plan, has_default));
    }
    sig.generics
        .make_where_clause()
        .predicates
        .extend(predicates);

    unpattern_arguments(sig, &async_trait, has_body);

    let box_path = plan.boxing.box_path();
    let send = plan.send.then(|| quote!(::core::marker::Send+));
    // Located at the user's `async`: a mismatch with the trait's signature lands there.
    let boxed_type = located_at(
        quote! {
            ::core::pin::Pin<#box_path<
                dyn ::core::future::Future<Output = #output> + #send #async_trait
            >>
        },
        async_token.span,
    );
    sig.output = syn::parse_quote!(#arrow #boxed_type);
}

/// Input:  `<'a: 'b, T: Clone>`
/// Output: `<'a, T>` and the predicates `'a: 'async_trait + 'b`, `T: 'async_trait + Clone`:
/// each parameter's inline bounds move to the `where` clause next to `'async_trait`, so no
/// bound is split over two places (clippy's `multiple_bound_locations`).
fn bound_method_generics(sig: &mut Signature) -> Vec<WherePredicate> {
    let mut predicates = Vec::new();
    for param in &mut sig.generics.params {
        let (bounded, bounds) = match param {
            // A parameter under `#[cfg]` keeps its bounds, `'async_trait` added, where the
            // `#[cfg]` removes them with it: a `where` predicate would name a parameter that
            // may not exist.
            GenericParam::Type(param) if !param.attrs.is_empty() => {
                let async_trait = async_trait_at(param.ident.span());
                param.bounds.push(syn::parse_quote!(#async_trait));
                param.colon_token.get_or_insert_with(Default::default);
                continue;
            }
            GenericParam::Lifetime(param) if !param.attrs.is_empty() => {
                param.bounds.push(async_trait_at(param.lifetime.span()));
                param.colon_token.get_or_insert_with(Default::default);
                continue;
            }
            GenericParam::Type(param) => {
                param.colon_token = None;
                let bounds = std::mem::take(&mut param.bounds).into_token_stream();
                (param.ident.to_token_stream(), bounds)
            }
            GenericParam::Lifetime(param) => {
                param.colon_token = None;
                let bounds = std::mem::take(&mut param.bounds).into_token_stream();
                (param.lifetime.to_token_stream(), bounds)
            }
            GenericParam::Const(_) => continue,
        };
        let span = bounded.span();
        let async_trait = async_trait_at(span);
        let plus = (!bounds.is_empty()).then(|| quote!(+));
        predicates.push(syn::parse_quote_spanned!(span=> #bounded: #async_trait #plus #bounds));
    }
    predicates
}

/// `Self: 'async_trait`, plus `Sync`/`Send` for a default body of a `Send` trait: the body is
/// written once for every `Self`, so its future is `Send` only if what it holds of `Self` is
/// (an impl's body knows its `Self`). Located at the receiver, the `Sync`/`Send` bounds at its
/// `self`, so "required by this bound" points at the receiver that needs them (a receiver's
/// own span is its first token, the `&` of `&self`).
fn self_predicate(sig: &Signature, plan: &MethodPlan<'_>, has_default: bool) -> WherePredicate {
    let needs = SelfNeeds::inferred_like_async_trait(sig.receiver());
    let span = sig
        .receiver()
        .map_or_else(|| sig.ident.span(), Spanned::span);
    let self_span = sig
        .receiver()
        .map_or(span, |receiver| receiver.self_token.span);
    let mut bounds = TokenStream::new();
    if has_default && plan.send {
        if needs.needs_sync() && !plan.context.supertraits_include("Sync") {
            bounds.extend(quote_spanned!(self_span=> ::core::marker::Sync +));
        }
        if needs.needs_send() && !plan.context.supertraits_include("Send") {
            bounds.extend(quote_spanned!(self_span=> ::core::marker::Send +));
        }
    }
    let async_trait = async_trait_at(span);
    let self_token = quote_spanned!(Span::call_site().located_at(span)=> Self);
    syn::parse_quote!(#self_token: #bounds #async_trait)
}

// Input:  `(mut self, mut x: T, (a, b): (u8, u8), y: impl Tr)`
// Output: `(self, x: T, __async_ext_arg2: (u8, u8), y: impl 'async_trait + Tr)`: patterns
// are not allowed in a signature without a body (with one, `move_arguments` has moved them
// into the future already).
fn unpattern_arguments(sig: &mut Signature, async_trait: &Lifetime, has_body: bool) {
    for (index, input) in sig.inputs.iter_mut().enumerate() {
        match input {
            FnArg::Receiver(receiver) => receiver.mutability = None,
            FnArg::Typed(argument) => {
                if !has_body {
                    match &mut *argument.pat {
                        Pat::Ident(pat) if pat.by_ref.is_none() && pat.subpat.is_none() => {
                            pat.mutability = None;
                        }
                        pat => *pat = plain_binding(HiddenNames::AtPattern.name(index, pat)),
                    }
                }
                bound_impl_trait_arguments(&mut argument.ty, async_trait);
            }
        }
    }
}

// Input:  `{ BODY }` of `async fn f(&mut self, x: T) -> R`
// Output: `{ __async_ext_boxed_…::SendBox::pin(async move {
//              GUARD; let __async_ext_self = self; let x = x; BODY… }) }`
//         (`…::Box::pin` under `?Send`; the future's body from `common::async_body`, the
//         module from `boxing`): the shape `#[tracing::instrument]` recognises.
fn box_body(sig: &mut Signature, block: &mut Block, plan: &MethodPlan<'_>) {
    let Some(async_token) = sig.asyncness else {
        return;
    };
    let moved = move_arguments(sig, SelfBinding::Renamed, HiddenNames::AtPattern);
    let user_block = std::mem::replace(block, syn::parse_quote!({}));
    let body = future_block(Some(&sig.output), moved, user_block, None);
    let future = async_move(async_token.span, body);
    // The call is located at the user's `async`, so "future cannot be sent between threads
    // safely" lands there (with rustc's notes on the value and the `.await` in the body), and
    // `SendBox::pin`'s bound adds a note at the attribute, where `?Send` goes.
    let boxing = located_at(plan.boxing.pin_path(plan.send), async_token.span);
    let mut arguments = proc_macro2::Group::new(proc_macro2::Delimiter::Parenthesis, future);
    arguments.set_span(Span::call_site().located_at(async_token.span));
    block.stmts = vec![Stmt::Expr(
        syn::Expr::Verbatim(quote!(#boxing #arguments)),
        None,
    )];
}

#[cfg(test)]
mod tests {
    use proc_macro2::{TokenStream, TokenTree};
    use quote::quote;

    fn expand(args: TokenStream, input: TokenStream) -> String {
        super::super::expand(args, input).to_string()
    }

    fn mentions(tokens: TokenStream, name: &str) -> bool {
        tokens.into_iter().any(|tree| match tree {
            TokenTree::Ident(ident) => ident == name,
            TokenTree::Group(group) => mentions(group.stream(), name),
            _ => false,
        })
    }

    #[test]
    fn a_renamed_crate_replaces_every_path_to_the_runtime() {
        let trait_ = super::super::expand(
            quote!(crate = ::renamed),
            quote! {
                trait Store {
                    async fn get(&self, key: &str) -> u8;
                    async fn len(&self) -> usize { 0 }
                }
            },
        );
        let impl_ = super::super::expand(
            quote!(crate = ::renamed),
            quote! {
                impl Store for Memory {
                    async fn get(&self, key: &str) -> u8 { 1 }
                }
            },
        );
        // Only the impl's asyncness probe needs the runtime: the trait names no crate.
        assert!(!mentions(trait_.clone(), "renamed"), "{trait_}");
        assert!(mentions(impl_.clone(), "renamed"), "{impl_}");
        for expansion in [trait_, impl_] {
            assert!(!mentions(expansion.clone(), "async_ext"), "{expansion}");
            assert!(!mentions(expansion.clone(), "compile_error"), "{expansion}");
        }
    }

    #[test]
    fn without_a_crate_path_boxing_names_no_crate() {
        let trait_ = super::super::expand(
            TokenStream::new(),
            quote! {
                trait Store {
                    async fn get(&self, key: &str) -> u8;
                    async fn len(&self) -> usize { 0 }
                }
            },
        );
        assert!(!mentions(trait_.clone(), "async_ext"), "{trait_}");
        assert!(mentions(trait_.clone(), "alloc"), "{trait_}");
    }

    #[test]
    fn generated_code_names_neither_std_nor_unsafe() {
        let expansion = super::super::expand(
            TokenStream::new(),
            quote! {
                impl Store for Memory {
                    async fn get(&self, (a, b): (u8, u8), _: u8, mut c: u8) -> u8 { c += a; c + b }
                }
            },
        );
        // `Box`, `Pin`, `Future`, `Send`, `Option` only ever appear after `::core::…::` or
        // `__private::`, which the hygiene tests check by shadowing them; here: no `std`.
        assert!(!mentions(expansion.clone(), "std"), "{expansion}");
        assert!(!mentions(expansion, "unsafe"));
    }

    #[test]
    fn odd_inputs_give_errors_or_expansions_never_panics() {
        let inputs = [
            quote!(),
            quote!(trait),
            quote!(impl),
            quote!(
                fn f() {}
            ),
            quote!(
                trait T {
                    async fn f();
                }
            ),
            quote!(trait T { async fn f(self: ); }),
            quote!(
                trait T {
                    async fn f(&'_ self, _: &'_ (), (): ()) -> impl X;
                }
            ),
            quote!(trait T { async fn f(..) }),
            quote!(
                trait T {
                    async fn r#type(&self, r#in: u8) {}
                }
            ),
            quote!(impl T for X { async fn f(self: Box<Self>, [a, ..]: [u8; 2]) {} }),
            quote!(
                impl<'a, const N: usize> T<'a, N> for X
                where
                    Self: Sized,
                {
                    async fn f() {}
                }
            ),
            quote!(impl T<'_> for X { fn f() {} }),
            quote!(impl X { async fn f() {} }),
            quote!(impl !T for X {}),
            quote!(
                trait T {
                    #[async_trait_ext(?Send, ?Send)]
                    async fn f(&self);
                }
            ),
            quote!(
                trait T {
                    #[async_trait_ext]
                    #[async_trait_ext]
                    async fn f(&self);
                }
            ),
            quote!(
                trait T {
                    #[async_scope]
                    async fn f(&self);
                }
            ),
            quote!(
                trait T {
                    #[async_stream(item = u8)]
                    async fn f(&self) {}
                }
            ),
            quote!(
                trait T {
                    async fn f(&self) -> Self
                    where
                        Self: Sized + Sync;
                }
            ),
        ];
        let argument_lists = [
            quote!(),
            quote!(?Send),
            quote!(?Sync),
            quote!(crate),
            quote!(crate = ),
            quote!(crate = 1),
            quote!(native),
        ];
        for args in &argument_lists {
            for input in &inputs {
                let _ = expand(args.clone(), input.clone());
            }
        }
    }
}
