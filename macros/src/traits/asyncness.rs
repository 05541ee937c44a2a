//! Saying which side lacks `async` when a trait and its impl disagree.
//!
//! A macro on an impl cannot see the trait, so the trait leaves a record of every method's
//! asyncness, at a fixed cost per trait (a 300-method trait must not pay 300 items for a
//! diagnostic): a hidden struct with one field per method, whose type is a tuple of units (see
//! [`Record`]), and one hidden `where Self: Sized` method returning it, so `dyn Trait` is
//! unaffected. Tuples are core types, which the trait's crate and the impl's crate can both
//! name without sharing a runtime crate, so a trait's records need nothing however the
//! attribute was reached (through another crate's re-export too).
//!
//! The impl reads the field of each of its methods in one probe next to the impl and checks it
//! with the support crate's functions, which carry the messages (a `#[diagnostic]` attribute
//! cannot be written in user code everywhere: not in a `#![no_implicit_prelude]` module). An
//! impl in a crate that cannot name the support crate gets no probe (see `reach`): rustc's own
//! errors remain. Two fallbacks keep the probe from rejecting what would otherwise compile:
//! * a trait with no records (async-trait, hand-written, or named through a `use … as` alias,
//!   since the method's name carries the trait's) resolves to a local trait's method instead,
//!   which returns the impl's own "unknown" records;
//! * an impl method the trait lacks (rustc already says so) finds no field in the trait's
//!   records and reads the unknown one through `Deref`, instead of a second error.
//!
//! Input:  `#[async_trait_ext] trait Store<T> { async fn get(&self) -> u8; fn len(&self) -> usize; }`
//! Output: the trait, with
//! ```text
//! struct __AsyncExtRecordsOfStore<U> { pub get: ((), ()), pub len: ((),), pub __async_ext_unrecorded: U }
//! impl<U> Deref for __AsyncExtRecordsOfStore<U> { type Target = U; … }
//! // in the trait:
//! fn __async_ext_records_of_Store<U>(&self, unrecorded: U) -> __AsyncExtRecordsOfStore<U>
//! where Self: Sized { … }
//! ```
//! Input:  `#[async_trait_ext] impl<T> Store<T> for Memory { fn get(&self) -> u8 { … } }`
//! Output: the impl, then
//! ```text
//! const _: () = {
//!     struct Unknown { get: ((), (), (), (), ()) }
//!     trait Fallback { fn __async_ext_records_of_Store<U>(&self, unrecorded: U) -> U { unrecorded } }
//!     impl<T: ?Sized> Fallback for &T {}
//!     fn probe<T, P: Store<T>>(this: &P) {
//!         let records = this.__async_ext_records_of_Store(Unknown { get: ((), (), (), (), ()) });
//!         __private::sync_in_impl(records.get);
//!     }
//! };
//! ```
//! `sync_in_impl` requires `NotAsyncInTrait`, which the record `((), ())` (async in the trait)
//! lacks: the error, spanned at the impl's method, says "add `async`".
//!
//! Native mode keeps the same records (`NativeAsync` for its `async fn`s, see
//! [`native_trait_record`]); a boxed impl checks its first `async fn` against them with
//! `boxed_impl_of`, which is enough to say once that the trait is native.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::{Attribute, Ident, ItemImpl, ItemTrait, Signature, TraitItem};

use super::attributes::{cfg_attrs, is_stream_method};
use crate::common::crate_path::CratePath;
use crate::common::spans::located_at;
use crate::common::walk::{self, Pass};

/// The trait's method returning its records; the trait's name keeps a trait's records apart
/// from its supertraits' (a method call on `P: Sub` sees both).
fn records_method(trait_name: &Ident) -> Ident {
    format_ident!(
        "__async_ext_records_of_{}",
        trait_name.unraw(),
        span = Span::call_site()
    )
}

/// The struct of a trait's records.
fn records_struct(trait_name: &Ident) -> Ident {
    format_ident!(
        "__AsyncExtRecordsOf{}",
        trait_name.unraw(),
        span = Span::call_site()
    )
}

/// The records' field holding the impl's unknown records, reached through `Deref`.
fn unrecorded_field() -> Ident {
    Ident::new("__async_ext_unrecorded", Span::call_site())
}

/// The type parameter of the unknown records (a name no trait uses for its own parameters).
fn unrecorded_param() -> Ident {
    Ident::new("__AsyncExtUnrecorded", Span::call_site())
}

/// A method's field in the records: its name as written (`r#type` and `type` are one name).
fn field_name(method: &Ident) -> Ident {
    let mut field = method.clone();
    field.set_span(Span::call_site());
    field
}

/// What a trait records of one method.
pub(crate) struct TraitRecord {
    cfgs: Vec<Attribute>,
    name: Ident,
    record: Record,
}

/// The record of whether `sig` is `async` in a boxed trait; `None` for methods another
/// attribute (`#[async_stream]`) turns into something else.
pub(crate) fn trait_record(
    attrs: &[Attribute],
    sig: &Signature,
    send: bool,
) -> Option<TraitRecord> {
    if is_stream_method(attrs) {
        return None;
    }
    let record = match (sig.asyncness.is_some(), send) {
        (true, true) => Record::Async,
        (true, false) => Record::LocalAsync,
        (false, _) => Record::Sync,
    };
    Some(TraitRecord {
        cfgs: cfg_attrs(attrs).cloned().collect(),
        name: field_name(&sig.ident),
        record,
    })
}

/// A trait's records: the struct (and its `Deref` to the unknown records), to put next
/// to the trait, and the method returning them, to add to the trait. Nothing when the trait
/// has no method to record.
pub(crate) fn trait_records(
    item: &ItemTrait,
    records: &[TraitRecord],
) -> Option<(TokenStream, TraitItem)> {
    if records.is_empty() {
        return None;
    }
    let trait_cfgs: Vec<_> = cfg_attrs(&item.attrs).collect();
    let vis = &item.vis;
    let ty = records_struct(&item.ident);
    let method = records_method(&item.ident);
    let rest = unrecorded_field();
    let param = unrecorded_param();
    let unrecorded = Ident::new("unrecorded", Span::mixed_site());
    let fields = records.iter().map(|TraitRecord { cfgs, name, record }| {
        let record = record.ty();
        quote!(#(#cfgs)* pub #name: #record,)
    });
    let values = records.iter().map(|TraitRecord { cfgs, name, record }| {
        let record = record.ty();
        quote!(#(#cfgs)* #name: #record,)
    });
    let beside = quote! {
        #(#trait_cfgs)*
        #[doc(hidden)]
        #[allow(
            dead_code,
            non_camel_case_types,
            non_snake_case,
            clippy::pub_underscore_fields,
            clippy::struct_field_names,
        )]
        #vis struct #ty<#param> {
            #(#fields)*
            pub #rest: #param,
        }
        #(#trait_cfgs)*
        impl<#param> ::core::ops::Deref for #ty<#param> {
            type Target = #param;
            fn deref(&self) -> &#param {
                &self.#rest
            }
        }
    };
    // Verbatim: parsing the 300-field literal back with syn would cost more than it checks.
    let method = TraitItem::Verbatim(quote! {
        #[doc(hidden)]
        #[allow(non_snake_case, clippy::unused_self)]
        fn #method<#param>(&self, #unrecorded: #param) -> #ty<#param>
        where
            Self: ::core::marker::Sized,
        {
            #ty {
                #(#values)*
                #rest: #unrecorded,
            }
        }
    });
    Some((beside, method))
}

/// For native mode: the record of a native trait's method, so that a boxed impl of it (which
/// cannot compile: its signature has the lifetimes of a boxed method) is told to drop
/// `#[async_trait_ext]`, rather than only getting rustc's lifetime mismatch. Native mode
/// gathers these into the trait's records, as boxed mode does.
pub(crate) fn native_trait_record(attrs: &[Attribute], sig: &Signature) -> Option<TraitRecord> {
    if is_stream_method(attrs) {
        return None;
    }
    let record = if sig.asyncness.is_some() {
        Record::NativeAsync
    } else {
        Record::Sync
    };
    Some(TraitRecord {
        cfgs: cfg_attrs(attrs).cloned().collect(),
        name: field_name(&sig.ident),
        record,
    })
}

/// What a trait records of one method, as a tuple of `N + 1` units: a core type written
/// without an array length, since every array length is one more constant for rustc to
/// evaluate. Never `()`: rustc would answer a failed check on `()` with "use a unary tuple
/// instead", since `((),)` passes it.
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
    /// `((), …)`, the record as a type and as its value.
    fn ty(self) -> TokenStream {
        let units = (0..=self as usize).map(|_| quote!((),));
        quote!((#(#units)*))
    }
}

/// An impl's method as written, before boxing.
pub(crate) struct WrittenMethod {
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) sig: Signature,
    /// Boxed as `Send` (no `?Send` on the impl or the method).
    pub(crate) send: bool,
}

/// The probe checking the impl's methods against the trait's records. Empty when the impl's
/// header cannot be restated in a generic fn.
pub(crate) fn impl_probes(
    item: &ItemImpl,
    methods: &[WrittenMethod],
    krate: &CratePath,
) -> TokenStream {
    let Some((trait_path, _)) = &item.trait_ else {
        return TokenStream::new();
    };
    let Some(trait_name) = trait_path.segments.last().map(|segment| &segment.ident) else {
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
    let unknown_struct = Ident::new("__AsyncExtUnknownRecords", Span::mixed_site());
    let fallback = Ident::new("__AsyncExtNoRecords", Span::mixed_site());
    let implementor = Ident::new("__AsyncExtImplementor", Span::mixed_site());
    let this = Ident::new("__async_ext_this", Span::mixed_site());
    let records = Ident::new("__async_ext_records", Span::mixed_site());
    let unrecorded = Ident::new("unrecorded", Span::mixed_site());
    let param = unrecorded_param();
    let method = records_method(trait_name);
    let mut fields = Vec::new();
    let mut checks = Vec::new();
    // The first `async fn` is also checked against a native trait's record: enough to say
    // once that the trait is native (every method's own check lets a native record pass).
    let mut native_check = None;
    for WrittenMethod { attrs, sig, send } in methods {
        let name = field_name(&sig.ident);
        let cfgs: Vec<_> = cfg_attrs(attrs).collect();
        fields.push(quote!(#(#cfgs)* #name: #unknown,));
        let (check, span) = match &sig.asyncness {
            Some(async_token) if *send => (quote!(async_in_impl), async_token.span),
            Some(async_token) => (quote!(local_async_in_impl), async_token.span),
            None => (quote!(sync_in_impl), sig.fn_token.span),
        };
        let span = span.join(sig.ident.span()).unwrap_or(span);
        let call = located_at(quote!(#private::#check(#records.#name)), span);
        checks.push(quote_spanned! {span=>
            #(#cfgs)*
            #call;
        });
        if native_check.is_none() && sig.asyncness.is_some() {
            let call = located_at(quote!(#private::boxed_impl_of(#records.#name)), span);
            native_check = Some(quote_spanned! {span=>
                #(#cfgs)*
                #call;
            });
        }
    }
    let params = item.generics.params.iter();
    let where_clause = &item.generics.where_clause;
    quote! {
        const _: () = {
            #[allow(dead_code)]
            struct #unknown_struct {
                #(#fields)*
            }
            trait #fallback {
                #[allow(non_snake_case)]
                fn #method<#param>(&self, #unrecorded: #param) -> #param {
                    #unrecorded
                }
            }
            impl<T: ?::core::marker::Sized> #fallback for &T {}

            #[allow(
                dead_code,
                unused_variables,
                single_use_lifetimes,
                unused_lifetimes,
                clippy::extra_unused_lifetimes,
                clippy::extra_unused_type_parameters,
            )]
            fn probe<#(#params,)* #implementor: #trait_path>(#this: &#implementor) #where_clause {
                let #records = #this.#method(#unknown_struct { #(#fields)* });
                #(#checks)*
                #native_check
            }
        };
    }
}

/// The probe restates the impl's generics and trait path in a free fn: that fails when they
/// mention `Self` or `'_`, so such impls get no probe (they still compile, with rustc's own
/// error on a mismatch).
fn restatable(item: &ItemImpl) -> bool {
    struct Finder(bool);
    impl Pass for Finder {
        fn visit_ident_mut(&mut self, ident: &mut Ident) {
            self.0 |= ident == "Self";
        }
        fn visit_lifetime_mut(&mut self, lifetime: &mut syn::Lifetime) {
            self.0 |= lifetime.ident == "_";
        }
        fn visit_macro_mut(&mut self, _: &mut syn::Macro) {
            self.0 = true;
        }
        // A const argument is a literal or a path; an impl with any other expression gets
        // no probe.
        fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
            match expr {
                syn::Expr::Lit(_) => {}
                syn::Expr::Path(path) if path.qself.is_none() => walk::node(self, &mut path.path),
                _ => self.0 = true,
            }
        }
    }
    let mut finder = Finder(false);
    walk::node(&mut finder, &mut item.generics.clone());
    if let Some((path, _)) = &item.trait_ {
        walk::node(&mut finder, &mut path.clone());
    }
    !finder.0
}
