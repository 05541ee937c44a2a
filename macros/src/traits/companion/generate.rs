//! The companion's five items, written from the [`Model`] only (see the module's sketch):
//! the erased trait, its blanket impl, the alias, the constructors and the forwarding impl.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::{FnArg, GenericParam, Ident, Lifetime, Pat, ReturnType, Signature, Type, WherePredicate};

use super::super::attributes::cfg_attrs;
use super::super::dyn_hint::contains_impl_trait;
use super::super::method_kind::MethodKind;
use super::check::bounds_self;
use super::erasure::{BoxedImpl, Returned, impl_argument};
use super::model::{Forwarded, Model};
use super::visitors::{HigherRanked, SubstituteSelfAssoc, mentions_any};
use crate::common::async_body::{HiddenNames, plain_binding};
use crate::common::lifetimes::{
    Naming, OutputElision, elide_output_lifetimes, name_elided_input_lifetimes,
};
use crate::common::walk::{self, Pass};

/// The blanket impl's type parameter: every implementor of the trait.
const IMPLEMENTOR: &str = "__AsyncExtImpl";

impl Model<'_> {
    pub(super) fn generate(&self) -> TokenStream {
        let erased_trait = self.erased_trait();
        let blanket = self.blanket_impl();
        let alias = self.alias();
        let constructors = self.constructors();
        let trait_impl = self.trait_impl();
        let pointer_impls = self.pointer_impls();
        quote! {
            #erased_trait
            #blanket
            #alias
            #constructors
            #trait_impl
            #pointer_impls
        }
    }

    /// `DynStoreObject<'x, K, Item = Item> + Send + Sync + 'a`, the trait object.
    pub(super) fn object(&self) -> TokenStream {
        let erased = &self.erased;
        let lifetime = &self.lifetime;
        let bounds = &self.object_bounds;
        let args = self.erased_args();
        quote!(dyn #erased #args #bounds + #lifetime)
    }

    /// `<'x, K, Item>`: the trait's arguments, then the companion's parameters standing for
    /// the associated types. (Parameters, not associated types of the erased trait: those
    /// would make `Memory::Item` ambiguous wherever the erased trait is in scope.)
    fn erased_args(&self) -> TokenStream {
        let mut args: Vec<TokenStream> = self.trait_args_list();
        for assoc in &self.assoc {
            args.push(assoc.param.to_token_stream());
        }
        if args.is_empty() {
            TokenStream::new()
        } else {
            quote!(<#(#args),*>)
        }
    }

    fn trait_args_list(&self) -> Vec<TokenStream> {
        self.item
            .generics
            .params
            .iter()
            .map(|param| match param {
                GenericParam::Lifetime(param) => param.lifetime.to_token_stream(),
                GenericParam::Type(param) => param.ident.to_token_stream(),
                GenericParam::Const(param) => param.ident.to_token_stream(),
            })
            .collect()
    }

    /// `Store<'x, K>`: the user's trait with its own parameters.
    pub(super) fn trait_path(&self) -> TokenStream {
        let ident = &self.item.ident;
        let (_, args, _) = self.item.generics.split_for_impl();
        quote!(#ident #args)
    }

    /// `Store<'x, K, Item = Item>`: the trait with the companion's parameters for its
    /// associated types.
    pub(super) fn trait_with_assoc(&self) -> TokenStream {
        let ident = &self.item.ident;
        let mut args = self.trait_args_list();
        for assoc in &self.assoc {
            let ident = &assoc.item.ident;
            let param = &assoc.param;
            args.push(quote!(#ident = #param));
        }
        if args.is_empty() {
            quote!(#ident)
        } else {
            quote!(#ident <#(#args),*>)
        }
    }

    /// `DynStoreObject<'x, K, Item> + Send + Sync + 'a`: what a value must implement to
    /// become the companion (every implementor of the trait with the companion's auto
    /// traits does); a value that does not gets the object trait's message.
    fn source_bound(&self) -> TokenStream {
        let erased = &self.erased;
        let args = self.erased_args();
        let bounds = &self.object_bounds;
        let lifetime = &self.lifetime;
        quote!(#erased #args #bounds + #lifetime)
    }

    /// `type Item = Item;`: the associated types of an impl of the trait for the companion,
    /// each its companion parameter.
    pub(super) fn assoc_items(&self) -> Vec<TokenStream> {
        self.assoc
            .iter()
            .map(|assoc| {
                let ident = &assoc.item.ident;
                let param = &assoc.param;
                quote!(type #ident = #param;)
            })
            .collect()
    }

    /// The impl generics for the constructors and the trait impl: `'a`, the trait's
    /// parameters, then one parameter per associated type with its bounds.
    pub(super) fn companion_impl_generics(&self) -> TokenStream {
        let lifetime = &self.lifetime;
        let mut params: Vec<TokenStream> = vec![quote!(#lifetime)];
        params.extend(self.assoc_generics());
        quote!(<#(#params),*>)
    }

    /// The trait's parameters, without defaults (impls take none, and in the erased trait a
    /// default would precede the parameters below), followed by one parameter per associated
    /// type, bounded as the associated type.
    pub(super) fn assoc_generics(&self) -> Vec<TokenStream> {
        let mut params: Vec<TokenStream> = Vec::new();
        for param in &self.item.generics.params {
            let mut param = param.clone();
            match &mut param {
                GenericParam::Type(param) => param.default = None,
                GenericParam::Const(param) => param.default = None,
                GenericParam::Lifetime(_) => {}
            }
            params.push(param.into_token_stream());
        }
        let substitutions = self.self_assoc_substitutions();
        for assoc in &self.assoc {
            let param = &assoc.param;
            let mut bounds = assoc.item.bounds.clone();
            for bound in &mut bounds {
                walk::node(&mut SubstituteSelfAssoc(&substitutions), bound);
            }
            if bounds.is_empty() {
                params.push(quote!(#param));
            } else {
                params.push(quote!(#param: #bounds));
            }
        }
        params
    }

    fn self_assoc_substitutions(&self) -> Vec<(Ident, Type)> {
        self.assoc
            .iter()
            .map(|assoc| {
                let param = &assoc.param;
                (assoc.item.ident.clone(), syn::parse_quote!(#param))
            })
            .collect()
    }

    pub(super) fn trait_where(&self) -> Vec<TokenStream> {
        self.item
            .generics
            .where_clause
            .iter()
            .flat_map(|clause| clause.predicates.iter().map(ToTokens::to_token_stream))
            .collect()
    }

    // Output: pub trait DynStoreObject<K, Item: Clone> {
    //             fn __dyn_get<'__life0, '__life1, '__fut>(&'__life0 self, __arg1: &'__life1 str)
    //                 -> __private::SendInlineFuture<'__fut, Option<Item>>
    //             where '__life0: '__fut, '__life1: '__fut, Self: '__fut, K: '__fut;
    //         }
    fn erased_trait(&self) -> TokenStream {
        let vis = self.vis;
        let erased = &self.erased;
        let params = self.assoc_generics();
        let generics = (!params.is_empty()).then(|| quote!(<#(#params),*>));
        let where_clause = &self.item.generics.where_clause;
        let methods = self.methods.iter().map(|forwarded| {
            let (sig, _) = self.erased_signature(forwarded, true);
            let cfgs = cfg_attrs(&forwarded.method.attrs);
            let allows = allow_attrs(&forwarded.method.attrs);
            quote!(#(#cfgs)* #(#allows)* #[doc(hidden)] #sig;)
        });
        let doc = self.object_trait_doc();
        let (message, label, note) = self.not_a_source_diagnostic();
        quote! {
            #[doc = #doc]
            #[diagnostic::on_unimplemented(message = #message, label = #label, note = #note)]
            #vis trait #erased #generics #where_clause {
                #(#methods)*
            }
        }
    }

    /// The erased form of one method's signature, and the names of its arguments.
    ///
    /// In the erased trait (`in_trait`), `Self::Item` becomes the parameter `Item`; in the
    /// blanket impl, `<__AsyncExtImpl as Store>::Item`. `impl Trait` arguments become boxed
    /// `dyn Trait`s; a future or `impl Trait` return gets a `'__fut` that every input outlives.
    fn erased_signature(
        &self,
        forwarded: &Forwarded,
        in_trait: bool,
    ) -> (Signature, Vec<TokenStream>) {
        let mut sig = forwarded.method.sig.clone();
        let names = rename_arguments(&mut sig);
        sig.ident = erased_method_name(&sig.ident);
        let substitutions = if in_trait {
            self.self_assoc_substitutions()
        } else {
            let trait_path = self.trait_path();
            let implementor = Ident::new(IMPLEMENTOR, Span::call_site());
            self.assoc
                .iter()
                .map(|assoc| {
                    let ident = &assoc.item.ident;
                    let ty: Type = syn::parse_quote!(<#implementor as #trait_path>::#ident);
                    (ident.clone(), ty)
                })
                .collect()
        };
        walk::node(&mut SubstituteSelfAssoc(&substitutions), &mut sig);
        let private = &self.private;
        if !forwarded.returned.needs_lifetime() {
            self.box_impl_arguments(&mut sig, &quote!('_));
            return (sig, names);
        }
        let span = sig.ident.span();
        let inputs = name_elided_input_lifetimes(&mut sig, Naming::Companion);
        let fut = Lifetime::new("'__fut", Span::mixed_site());
        self.box_impl_arguments(&mut sig, &fut.to_token_stream());
        let mut output: Type = match (&forwarded.returned, &sig.output) {
            (Returned::Future { output, send }, _) => {
                let mut output: Type = (**output).clone();
                SubstituteSelfAssoc(&substitutions).visit_type_mut(&mut output);
                let future = if *send {
                    quote!(SendInlineFuture)
                } else {
                    quote!(InlineFuture)
                };
                syn::parse_quote_spanned!(span=> #private::#future<#fut, #output>)
            }
            (Returned::Boxed(_), ReturnType::Type(_, returned)) => {
                impl_argument(returned).and_then(BoxedImpl::of).map_or_else(
                    || (**returned).clone(),
                    |boxed| boxed.boxed_type(private, &fut.to_token_stream()),
                )
            }
            _ => syn::parse_quote!(()),
        };
        elide_output_lifetimes(&mut output, &inputs, OutputElision::ReceiverFirst);
        let fresh_lifetimes = inputs.elided;
        let mut outlives: Vec<TokenStream> = Vec::new();
        for lifetime in &fresh_lifetimes {
            outlives.push(quote!(#lifetime: #fut));
        }
        outlives.extend(method_lifetimes_outlive(&mut sig, &fut));
        for param in &self.item.generics.params {
            match param {
                GenericParam::Lifetime(param) => {
                    let lifetime = &param.lifetime;
                    outlives.push(quote!(#lifetime: #fut));
                }
                GenericParam::Type(param) => {
                    let ident = &param.ident;
                    outlives.push(quote!(#ident: #fut));
                }
                GenericParam::Const(_) => {}
            }
        }
        outlives.push(quote!(Self: #fut));
        let mut params: Vec<GenericParam> = fresh_lifetimes
            .into_iter()
            .map(|lifetime| GenericParam::Lifetime(syn::LifetimeParam::new(lifetime)))
            .collect();
        params.push(GenericParam::Lifetime(syn::LifetimeParam::new(fut.clone())));
        let user_params = std::mem::take(&mut sig.generics.params);
        sig.generics.params.extend(params);
        sig.generics.params.extend(user_params);
        if sig.generics.lt_token.is_none() {
            sig.generics.lt_token = Some(syn::Token![<](span));
            sig.generics.gt_token = Some(syn::Token![>](span));
        }
        // The `Self: Sync`/`Self: Send` bounds native mode put on default bodies are met by
        // the blanket impl's own bounds; a `dyn`-callable method cannot carry them.
        let user_predicates: Vec<WherePredicate> = sig
            .generics
            .where_clause
            .take()
            .into_iter()
            .flat_map(|clause| clause.predicates)
            .filter(|predicate| {
                !matches!(predicate, WherePredicate::Type(p) if bounds_self(&p.bounded_ty))
            })
            .collect();
        sig.output = syn::parse_quote_spanned! {span=> -> #output };
        sig.generics.where_clause = Some(syn::parse_quote! {
            where #(#outlives,)* #(#user_predicates,)*
        });
        (sig, names)
    }

    /// Replaces each `impl Trait` argument's type with its boxed `dyn Trait` living for
    /// `lifetime`.
    fn box_impl_arguments(&self, sig: &mut Signature, lifetime: &TokenStream) {
        for input in &mut sig.inputs {
            let FnArg::Typed(arg) = input else { continue };
            if let Some(boxed) = impl_argument(&arg.ty).and_then(BoxedImpl::of) {
                *arg.ty = boxed.boxed_type(&self.private, lifetime);
            }
        }
    }

    /// The arguments the companion passes to the erased method: its own, with each
    /// `impl Trait` argument boxed.
    fn boxed_arguments(&self, sig: &Signature, names: &[TokenStream]) -> Vec<TokenStream> {
        sig.inputs
            .iter()
            .zip(names)
            .map(|(input, name)| match input {
                FnArg::Typed(arg) => impl_argument(&arg.ty)
                    .and_then(BoxedImpl::of)
                    .map_or_else(|| name.clone(), |boxed| boxed.boxing(&self.private, name)),
                FnArg::Receiver(_) => name.clone(),
            })
            .collect()
    }

    // Output: impl<K, __AsyncExtImpl> DynStoreObject<K, <__AsyncExtImpl as Store<K>>::Item>
    //         for __AsyncExtImpl where __AsyncExtImpl: Store<K> + Send + Sync {
    //             fn __dyn_get<…>(…) -> SendInlineFuture<…> {
    //                 SendInlineFuture::new(<__AsyncExtImpl as Store<K>>::get(self, __arg1))
    //             }
    //         }
    fn blanket_impl(&self) -> TokenStream {
        let erased = &self.erased;
        let implementor = Ident::new(IMPLEMENTOR, Span::call_site());
        let mut generics = self.item.generics.clone();
        generics
            .params
            .push(GenericParam::Type(syn::TypeParam::from(
                implementor.clone(),
            )));
        let (impl_generics, _, _) = generics.split_for_impl();
        let trait_path = self.trait_path();
        let mut erased_args = self.trait_args_list();
        for assoc in &self.assoc {
            let ident = &assoc.item.ident;
            erased_args.push(quote!(<#implementor as #trait_path>::#ident));
        }
        let erased_args = (!erased_args.is_empty()).then(|| quote!(<#(#erased_args),*>));
        let bounds = &self.implementor_bounds;
        let trait_where = self.trait_where();
        let private = &self.private;
        let methods = self.methods.iter().map(|forwarded| {
            let (sig, names) = self.erased_signature(forwarded, false);
            let cfgs = cfg_attrs(&forwarded.method.attrs);
            let allows = allow_attrs(&forwarded.method.attrs);
            let ident = &forwarded.method.sig.ident;
            let call = quote!(<#implementor as #trait_path>::#ident(#(#names),*));
            let body = match &forwarded.returned {
                Returned::Future { send: true, .. } => {
                    quote!(#private::SendInlineFuture::new(#call))
                }
                Returned::Future { send: false, .. } => quote!(#private::InlineFuture::new(#call)),
                Returned::Boxed(boxed) => boxed.boxing(private, &call),
                Returned::Value => call,
            };
            quote!(#(#cfgs)* #(#allows)* #[inline] #sig { #body })
        });
        // `do_not_recommend`: a value that cannot become the companion is reported as not
        // implementing the object trait, whose message names the constructors, rather than
        // as a bare `Box<Memory>: Store` deep inside this impl.
        quote! {
            #[diagnostic::do_not_recommend]
            impl #impl_generics #erased #erased_args for #implementor
            where
                #implementor: #trait_path #bounds,
                #(#trait_where,)*
            {
                #(#methods)*
            }
        }
    }

    // Output: pub type DynStore<'a, K, Item> = dyn DynStoreObject<K, Item> + Send + Sync + 'a;
    fn alias(&self) -> TokenStream {
        let vis = self.vis;
        let name = self.name;
        let lifetime = &self.lifetime;
        let mut params = vec![quote!(#lifetime)];
        for param in &self.item.generics.params {
            params.push(match param {
                GenericParam::Lifetime(param) => param.lifetime.to_token_stream(),
                GenericParam::Type(param) => param.ident.to_token_stream(),
                GenericParam::Const(param) => {
                    let ident = &param.ident;
                    let ty = &param.ty;
                    quote!(const #ident: #ty)
                }
            });
        }
        params.extend(self.assoc.iter().map(|assoc| assoc.param.to_token_stream()));
        let object = self.object();
        let doc = self.alias_doc();
        quote! {
            #[doc = #doc]
            #vis type #name <#(#params),*> = #object;
        }
    }

    fn constructors(&self) -> TokenStream {
        let vis = self.vis;
        let impl_generics = self.companion_impl_generics();
        let object = self.object();
        let bound = self.source_bound();
        let lifetime = &self.lifetime;
        let private = &self.private;
        let trait_where = self.trait_where();
        let trait_ident = &self.item.ident;
        let doc_boxed = format!(
            "Moves `value`, any implementor of [`{trait_ident}`]{}, into an owning, boxed `{}`.",
            self.auto_traits_phrase(),
            self.name
        );
        let doc_from_box = format!(
            "Turns a boxed implementor of [`{trait_ident}`] into a boxed `{}`, without allocating.",
            self.name
        );
        let doc_from_ref = format!("Views `&value` as a `&{}`, without allocating.", self.name);
        let doc_from_mut = format!(
            "Views `&mut value` as a `&mut {}`, without allocating.",
            self.name
        );
        quote! {
            impl #impl_generics #object where #(#trait_where,)* {
                #[doc = #doc_boxed]
                #[must_use]
                #vis fn boxed(value: impl #bound) -> #private::Box<Self> {
                    #private::Box::new(value)
                }

                #[doc = #doc_from_box]
                #[must_use]
                #vis fn from_box(value: #private::Box<impl #bound>) -> #private::Box<Self> {
                    value
                }

                #[doc = #doc_from_ref]
                #[must_use]
                #vis fn from_ref(value: &#lifetime (impl #bound)) -> &#lifetime Self {
                    value
                }

                #[doc = #doc_from_mut]
                #[must_use]
                #vis fn from_mut(value: &#lifetime mut (impl #bound)) -> &#lifetime mut Self {
                    value
                }
            }
        }
    }

    // Output: impl<'a, K, Item: Clone> Store<K> for DynStore<'a, K, Item> {
    //             type Item = Item;
    //             fn get(&self, __arg1: &str) -> impl Future<Output = Option<Self::Item>> + Send {
    //                 async move { <Self as DynStoreObject<K, Item>>::__dyn_get(self, __arg1).await }
    //             }
    //         }
    fn trait_impl(&self) -> TokenStream {
        let impl_generics = self.companion_impl_generics();
        let object = self.object();
        let trait_path = self.trait_path();
        let erased = &self.erased;
        let erased_args = self.erased_args();
        let lifetime = &self.lifetime;
        let mut predicates = self.trait_where();
        for outlived in &self.lifetime_supertraits {
            predicates.push(quote!(#lifetime: #outlived));
        }
        predicates.extend(self.send_argument_predicates());
        let assoc = self.assoc_items();
        let methods = self.methods.iter().map(|forwarded| {
            let mut sig = forwarded.method.sig.clone();
            let names = rename_arguments(&mut sig);
            let cfgs = cfg_attrs(&forwarded.method.attrs);
            let ident = &sig.ident;
            let span = ident.span();
            let erased_ident = erased_method_name(ident);
            let arguments = self.boxed_arguments(&sig, &names);
            let call = quote!(<Self as #erased #erased_args>::#erased_ident(#(#arguments),*));
            let body = match &forwarded.returned {
                // The erased future's lifetime is an intersection rustc cannot name in the
                // `impl Future` this returns; an `async move` around it captures the
                // arguments instead (no allocation: it only holds the erased future).
                // The allow: `async_yields_async` when the output is itself a future.
                Returned::Future { .. } => {
                    let future = Ident::new("__async_ext_future", Span::mixed_site());
                    quote_spanned! {span=>
                        #[allow(clippy::async_yields_async)]
                        let #future = async move { #call.await };
                        #future
                    }
                }
                _ => call,
            };
            quote!(#(#cfgs)* #[inline] #sig { #body })
        });
        let unsafety = &self.item.unsafety;
        let stubs: Vec<TokenStream> = (self.sized_only.iter())
            .filter_map(|(method, kind)| sized_only_stub(method, kind))
            .collect();
        // Rust 1.87 and later lint the stubs as uncallable; nothing else here can be dead.
        let allow = (!stubs.is_empty()).then(|| quote!(#[allow(dead_code)]));
        quote! {
            #allow
            #unsafety impl #impl_generics #trait_path for #object where #(#predicates,)* {
                #(#assoc)*
                #(#methods)*
                #(#stubs)*
            }
        }
    }
}

/// Rust before 1.87 wants an impl for an unsized type (the companion) to implement even the
/// methods it can never call: the required ones bounded `where Self: Sized`. Their stub
/// needs a body of the declared type, so a method returning `impl Trait` (other than an
/// `async fn`'s future) gets none: its trait needs Rust 1.87 for a companion.
///
/// Input:  `fn clear(&mut self, all: bool) -> impl Future<Output = ()> + Send where Self: Sized;`
/// Output: `fn clear(&self, _: bool) -> impl Future<Output = ()> + Send where Self: Sized
///          { async { ::core::unreachable!() } }`
fn sized_only_stub(method: &syn::TraitItemFn, kind: &MethodKind) -> Option<TokenStream> {
    let mut sig = method.sig.clone();
    let body = match (kind, &sig.output) {
        (MethodKind::Async { output, .. }, _) if !contains_impl_trait(output) => {
            quote!(async { ::core::unreachable!() })
        }
        (MethodKind::Sync, ReturnType::Type(_, ty)) if contains_impl_trait(ty) => return None,
        (MethodKind::Sync, _) => quote!(::core::unreachable!()),
        (MethodKind::Async { .. }, _) => return None,
    };
    for input in &mut sig.inputs {
        match input {
            FnArg::Receiver(receiver) => receiver.mutability = None,
            FnArg::Typed(arg) => {
                arg.attrs.clear();
                *arg.pat = syn::parse_quote!(_);
            }
        }
    }
    let cfgs = cfg_attrs(&method.attrs);
    Some(quote!(#(#cfgs)* #sig { #body }))
}

impl Model<'_> {
    /// `for<'__s0> &'__s0 T: Send`, one per argument type of a `Send` method that names a
    /// type parameter of the companion: the forwarding `async move` holds the arguments, so
    /// its future is `Send` only if they are (an implementor's `async fn` needs the same of
    /// its own arguments). The companion implements the trait where they are.
    ///
    /// Input:  `trait Generic<T> { async fn take(&self, thing: &T); }`
    /// Output: `impl<'a, T> Generic<T> for DynGeneric<'a, T> where for<'__s0> &'__s0 T: Send`
    pub(super) fn send_argument_predicates(&self) -> Vec<TokenStream> {
        let params: Vec<Ident> = self
            .item
            .generics
            .type_params()
            .map(|param| param.ident.clone())
            .chain(self.assoc.iter().map(|assoc| assoc.param.clone()))
            .collect();
        let substitutions = self.self_assoc_substitutions();
        let mut predicates = Vec::new();
        for forwarded in &self.methods {
            if !matches!(forwarded.returned, Returned::Future { send: true, .. }) {
                continue;
            }
            for input in &forwarded.method.sig.inputs {
                let FnArg::Typed(arg) = input else { continue };
                let mut ty = (*arg.ty).clone();
                SubstituteSelfAssoc(&substitutions).visit_type_mut(&mut ty);
                if !mentions_any(&ty, &params) {
                    continue;
                }
                let mut naming = HigherRanked::default();
                naming.visit_type_mut(&mut ty);
                let bound = &naming.bound;
                let for_lifetimes = (!bound.is_empty()).then(|| quote!(for<#(#bound),*>));
                predicates.push(quote!(#for_lifetimes #ty: ::core::marker::Send));
            }
        }
        predicates
    }
}

/// The user's `#[allow(..)]`s on a method, for the erased method named after it
/// (`#[allow(non_snake_case)] async fn camelCase` gives `__dyn_camelCase`).
fn allow_attrs(attrs: &[syn::Attribute]) -> impl Iterator<Item = &syn::Attribute> {
    attrs.iter().filter(|attr| attr.path().is_ident("allow"))
}

/// The erased trait's name for a method: distinct from the trait's, so that `value.get()`
/// stays unambiguous where both traits are in scope.
fn erased_method_name(ident: &Ident) -> Ident {
    format_ident!("__dyn_{}", ident)
}

/// Gives every argument a plain name (`__argN`, keeping the receiver) and returns the
/// arguments to forward, `self` first.
pub(in crate::traits) fn rename_arguments(sig: &mut Signature) -> Vec<TokenStream> {
    let mut names = Vec::new();
    for (index, input) in sig.inputs.iter_mut().enumerate() {
        match input {
            FnArg::Receiver(receiver) => {
                receiver.mutability = None;
                names.push(receiver.self_token.to_token_stream());
            }
            FnArg::Typed(arg) => {
                // A plain snake-case name stays (rustdoc shows the forwarding impls'
                // signatures), at the mixed site like a hidden one; a pattern, `_`, or a name
                // with capitals (a `const` of that name in scope would make it a pattern)
                // gets a hidden name.
                let name = match &*arg.pat {
                    Pat::Ident(pat)
                        if pat.by_ref.is_none()
                            && pat.subpat.is_none()
                            && !pat.ident.to_string().chars().any(char::is_uppercase) =>
                    {
                        let mut name = pat.ident.clone();
                        name.set_span(Span::mixed_site());
                        name
                    }
                    pat => HiddenNames::Short.name(index, pat),
                };
                arg.attrs.clear();
                *arg.pat = plain_binding(name.clone());
                names.push(name.into_token_stream());
            }
        }
    }
    names
}

// Input:  `fn pick<'a, 'b: 'a>(…)` and `'__fut`
// Output: `fn pick<'a, 'b>(…)` and the predicates `'a: '__fut`, `'b: '__fut + 'a`
/// Every lifetime the method declares outlives the erased future; its own bounds move next to
/// `'__fut`, so no bound is split over two places (clippy's `multiple_bound_locations`).
fn method_lifetimes_outlive(sig: &mut Signature, fut: &Lifetime) -> Vec<TokenStream> {
    let mut outlives = Vec::new();
    for param in sig.generics.lifetimes_mut() {
        // A parameter under `#[cfg]` keeps its bounds, `'__fut` added: a `where` predicate
        // would name a parameter that may not exist.
        if !param.attrs.is_empty() {
            param.bounds.push(fut.clone());
            param.colon_token.get_or_insert_with(Default::default);
            continue;
        }
        let lifetime = &param.lifetime;
        let bounds: Vec<Lifetime> = std::mem::take(&mut param.bounds).into_iter().collect();
        param.colon_token = None;
        outlives.push(quote!(#lifetime: #fut #(+ #bounds)*));
    }
    outlives
}
