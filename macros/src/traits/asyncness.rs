//! Saying which side lacks `async` when a trait and its impl disagree.
//!
//! A macro on an impl cannot see the trait, so the trait leaves a record: for each method `m`
//! a hidden provided method `__async_ext_asyncness_of_m(&self) -> [(); 1]`, with
//! `where Self: Sized` so `dyn Trait` is unaffected. The record is an array length (see
//! [`Record`]): a core type, which the trait's crate and the impl's crate can both name without
//! sharing a runtime crate, so a trait's records need nothing however the attribute was reached
//! (through another crate's re-export too). The impl then checks each of its methods against
//! that record in a probe next to the impl, with the support crate's traits, which carry the
//! messages (a `#[diagnostic]` attribute cannot be written in user code everywhere: not in a
//! `#![no_implicit_prelude]` module). An impl in a crate that cannot name the support crate
//! gets no probe (see `reach`): rustc's own errors remain. When the trait has no record
//! (written with async-trait or by hand), method resolution falls back to a local trait
//! returning the unknown record, which passes every check: the probe never rejects what would
//! otherwise compile.
//!
//! Input:  `#[async_trait_ext] impl<T> Store<T> for Memory { fn get(&self) -> u8 { … } }`
//! Output: the impl, then
//! ```text
//! const _: () = {
//!     trait Fallback { fn __async_ext_asyncness_of_get(&self) -> [(); 4] { [(); 4] } }
//!     impl<T: ?Sized> Fallback for &T {}
//!     fn probe<T, P: Store<T>>(this: &P) {
//!         __private::sync_in_impl(this.__async_ext_asyncness_of_get());
//!     }
//! };
//! ```
//! `sync_in_impl` requires `NotAsyncInTrait`, which the record `[(); 1]` (async in the trait)
//! lacks: the error, spanned at the impl's method, says "add `async`".

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::visit::Visit;
use syn::{Attribute, Ident, ItemImpl, Signature, TraitItem};

use super::attributes::{cfg_attrs, is_stream_method};
use super::spans::located_at;
use crate::common::crate_path::CratePath;

fn marker_name(method: &Ident) -> Ident {
    format_ident!(
        "__async_ext_asyncness_of_{}",
        method.unraw(),
        span = Span::call_site()
    )
}

/// The hidden method recording whether `sig` is `async` in the trait; `None` for methods
/// another attribute (`#[async_stream]`) turns into something else.
pub(crate) fn trait_marker(attrs: &[Attribute], sig: &Signature, send: bool) -> Option<TraitItem> {
    if is_stream_method(attrs) {
        return None;
    }
    let record = match (sig.asyncness.is_some(), send) {
        (true, true) => Record::Async,
        (true, false) => Record::LocalAsync,
        (false, _) => Record::Sync,
    };
    Some(record_method(attrs, sig, record))
}

/// For native mode: the record of a native trait's method, so that a boxed impl of it (which
/// cannot compile: its signature has the lifetimes of a boxed method) is told to drop
/// `#[async_trait_ext]`, rather than only getting rustc's lifetime mismatch. Native mode's
/// expansion may append these to the trait like boxed mode appends [`trait_marker`]s.
pub(crate) fn native_trait_marker(attrs: &[Attribute], sig: &Signature) -> Option<TraitItem> {
    if is_stream_method(attrs) {
        return None;
    }
    let record = if sig.asyncness.is_some() {
        Record::NativeAsync
    } else {
        Record::Sync
    };
    Some(record_method(attrs, sig, record))
}

/// What a trait records of one method, as the length of a `[(); N]`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Record {
    /// A plain `fn`.
    Sync = 0,
    /// An `async fn` with a `Send` future.
    Async = 1,
    /// An `async fn` under `?Send`.
    LocalAsync = 2,
    /// An `async fn` of a native trait (returning `impl Future`), which no boxed impl method
    /// can implement.
    NativeAsync = 3,
    /// No record: the trait was not expanded by `#[async_trait_ext]`.
    Unknown = 4,
}

impl Record {
    /// `[(); N]`, the record as a type.
    fn ty(self) -> TokenStream {
        let length = proc_macro2::Literal::usize_unsuffixed(self as usize);
        quote!([(); #length])
    }
}

fn record_method(attrs: &[Attribute], sig: &Signature, record: Record) -> TraitItem {
    let name = marker_name(&sig.ident);
    let cfgs = cfg_attrs(attrs);
    let ty = record.ty();
    syn::parse_quote! {
        #(#cfgs)*
        #[doc(hidden)]
        #[allow(clippy::unused_self)]
        fn #name(&self) -> #ty
        where
            Self: ::core::marker::Sized,
        {
            #ty
        }
    }
}

/// An impl's method as written, before boxing.
pub(crate) struct WrittenMethod {
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) sig: Signature,
    /// Boxed as `Send` (no `?Send` on the impl or the method).
    pub(crate) send: bool,
}

/// The probe checking the impl's methods against the trait's record. Empty when the impl's
/// header cannot be restated in a generic fn.
pub(crate) fn impl_probes(
    item: &ItemImpl,
    methods: &[WrittenMethod],
    krate: &CratePath,
) -> TokenStream {
    let Some((trait_path, _)) = &item.trait_ else {
        return TokenStream::new();
    };
    let methods: Vec<_> = methods
        .iter()
        .filter(|method| !is_stream_method(&method.attrs))
        .collect();
    if methods.is_empty() || !restatable(item) {
        return TokenStream::new();
    }
    let private = krate.private();
    let unknown = Record::Unknown.ty();
    let fallback = Ident::new("__AsyncExtUnknownAsyncness", Span::mixed_site());
    let implementor = Ident::new("__AsyncExtImplementor", Span::mixed_site());
    let this = Ident::new("__async_ext_this", Span::mixed_site());
    let mut fallbacks = Vec::new();
    let mut checks = Vec::new();
    for WrittenMethod { attrs, sig, send } in methods {
        let name = marker_name(&sig.ident);
        let cfgs: Vec<_> = cfg_attrs(attrs).collect();
        fallbacks.push(quote! {
            #(#cfgs)*
            fn #name(&self) -> #unknown {
                #unknown
            }
        });
        let (check, span) = match &sig.asyncness {
            Some(async_token) if *send => (quote!(async_in_impl), async_token.span),
            Some(async_token) => (quote!(local_async_in_impl), async_token.span),
            None => (quote!(sync_in_impl), sig.fn_token.span),
        };
        let span = span.join(sig.ident.span()).unwrap_or(span);
        let call = located_at(quote!(#private::#check(#this.#name())), span);
        checks.push(quote_spanned! {span=>
            #(#cfgs)*
            #call;
        });
    }
    let params = item.generics.params.iter();
    let where_clause = &item.generics.where_clause;
    quote! {
        const _: () = {
            trait #fallback {
                #(#fallbacks)*
            }
            impl<T: ?::core::marker::Sized> #fallback for &T {}

            #[allow(
                dead_code,
                single_use_lifetimes,
                unused_lifetimes,
                clippy::extra_unused_lifetimes,
                clippy::extra_unused_type_parameters,
            )]
            fn probe<#(#params,)* #implementor: #trait_path>(#this: &#implementor) #where_clause {
                #(#checks)*
            }
        };
    }
}

/// The probe restates the impl's generics and trait path in a free fn: that fails when they
/// mention `Self` or `'_`, so such impls get no probe (they still compile, with rustc's own
/// error on a mismatch).
fn restatable(item: &ItemImpl) -> bool {
    struct Finder(bool);
    impl Visit<'_> for Finder {
        fn visit_ident(&mut self, ident: &Ident) {
            self.0 |= ident == "Self";
        }
        fn visit_lifetime(&mut self, lifetime: &syn::Lifetime) {
            self.0 |= lifetime.ident == "_";
        }
        fn visit_macro(&mut self, _: &syn::Macro) {
            self.0 = true;
        }
        // A const argument is a literal or a path; walking any other expression would compile
        // syn's whole expression walk for this visitor (see `common`): such an impl gets no
        // probe.
        fn visit_expr(&mut self, expr: &syn::Expr) {
            match expr {
                syn::Expr::Lit(_) => {}
                syn::Expr::Path(path) if path.qself.is_none() => self.visit_path(&path.path),
                _ => self.0 = true,
            }
        }
    }
    let mut finder = Finder(false);
    finder.visit_generics(&item.generics);
    if let Some((path, _)) = &item.trait_ {
        finder.visit_path(path);
    }
    !finder.0
}
