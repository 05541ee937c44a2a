//! Pointers to the companion implement the trait: `Box<DynStore>`, `&DynStore`,
//! `Arc<DynStore>`… go where an `S: Store` is expected.
//!
//! One generic impl covers the four pointers (`impl<P: __DynStorePointer + Deref> Store for P`,
//! the hidden marker implemented for `Box`, `&`, `&mut` and `Arc` of the companion) rather than
//! one impl per pointer type: each forwarding method costs the user's `cargo check` an opaque
//! future type, so four impls cost four times as much as one.

use proc_macro2::{Ident, Span, TokenStream, TokenTree};
use quote::{ToTokens, format_ident, quote};
use syn::TraitItem;

use super::super::attributes::cfg_attrs;
use super::super::dyn_hint::requires_sized_self;
use super::super::receiver::ReceiverShape;
use super::generate::rename_arguments;
use super::model::Model;

/// Which pointers to the companion can forward every method of the trait.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Forwarding {
    /// Every pointer that derefs to the companion (`&mut self` methods: that derefs mutably).
    Deref { mutable: bool },
    /// Only `Box`: some method takes `self: Box<Self>`.
    Box,
    /// None: some receiver no pointer can pass on (`self: Pin<&mut Self>`, …), or a required
    /// `where Self: Sized` method the companion has no body for.
    None,
}

/// The generic impl's pointer parameter: `P` as rustdoc shows it among the implementors,
/// unless the trait already has a parameter or associated type of that name.
const POINTER: &str = "P";
const POINTER_FALLBACK: &str = "__AsyncExtPointer";

impl Model<'_> {
    pub(super) fn forwarding(&self) -> Forwarding {
        let sized_only = self.item.items.iter().any(|item| {
            matches!(item, TraitItem::Fn(method)
                if method.default.is_none() && requires_sized_self(&method.sig))
        });
        if sized_only {
            return Forwarding::None;
        }
        let mut forwarding = Forwarding::Deref { mutable: false };
        for forwarded in &self.methods {
            forwarding = match (forwarding, ReceiverShape::of(&forwarded.method.sig)) {
                (_, ReceiverShape::Ref) => forwarding,
                (Forwarding::Deref { .. }, ReceiverShape::RefMut) => {
                    Forwarding::Deref { mutable: true }
                }
                (Forwarding::Box, ReceiverShape::RefMut) | (_, ReceiverShape::Boxed) => {
                    Forwarding::Box
                }
                _ => return Forwarding::None,
            };
        }
        forwarding
    }

    fn pointer_param(&self) -> Ident {
        // Anywhere in the trait: a `P` in its where clauses, copied onto the impl, would
        // otherwise name the parameter instead of the user's type.
        fn mentions(tokens: TokenStream) -> bool {
            tokens.into_iter().any(|token| match token {
                TokenTree::Ident(ident) => ident == POINTER,
                TokenTree::Group(group) => mentions(group.stream()),
                _ => false,
            })
        }
        let taken = mentions(self.item.to_token_stream())
            || self.assoc.iter().any(|assoc| assoc.param == POINTER);
        Ident::new(
            if taken { POINTER_FALLBACK } else { POINTER },
            Span::call_site(),
        )
    }

    // Output: #[doc(hidden)] pub trait __DynStorePointer {}
    //         impl<'a> __DynStorePointer for Box<DynStore<'a>> {}   (and `&`, `&mut`, `Arc`)
    //         #[diagnostic::do_not_recommend]
    //         impl<P> Store for P
    //         where P: __DynStorePointer + Deref (+ DerefMut) (+ the trait's supertraits),
    //               P::Target: Store + Send + Sync {
    //             fn get(&self, __arg1: &str) -> impl Future<Output = …> + Send {
    //                 <P::Target as Store>::get(&**self, __arg1)
    //             }
    //         }
    //         or, when a method takes `self: Box<Self>`, the same for `Box<DynStore<'a>>` only.
    //
    // A local marker, not `P: Deref<Target = DynStore<'a>>`: coherence can rule out that `()`
    // or `u32` implements a trait of this crate, not that it will never implement `Deref`, so
    // the user's own `impl Store for ()` stays legal. Forwarding through `<P::Target as
    // Store>` keeps the companion's lifetime out of the returned future's hidden type (E0700).
    // `do_not_recommend`: an `X: Store` that fails is reported as such, not as a missing
    // `X: __DynStorePointer`.
    pub(super) fn pointer_impls(&self) -> TokenStream {
        let forwarding = self.forwarding();
        if forwarding == Forwarding::None {
            return TokenStream::new();
        }
        let object = self.object();
        let trait_path = self.trait_path();
        let private = &self.private;
        let mut params = self.assoc_generics();
        let mut predicates = self.trait_where();
        predicates.extend(self.send_argument_predicates());
        let marker_items;
        let target;
        let self_type = match forwarding {
            Forwarding::Deref { mutable } => {
                let pointer = self.pointer_param();
                let marker = format_ident!("__{}Pointer", self.name);
                let vis = self.vis;
                let impl_generics = self.companion_impl_generics();
                let mut pointers = vec![quote!(#private::Box<#object>), quote!(&mut (#object))];
                if !mutable {
                    pointers.extend([quote!(&(#object)), quote!(#private::Arc<#object>)]);
                }
                marker_items = quote! {
                    #[doc(hidden)]
                    #vis trait #marker {}
                    #(impl #impl_generics #marker for #pointers {})*
                };
                let deref_mut = mutable.then(|| quote!(+ ::core::ops::DerefMut));
                let auto_traits = [
                    (self.required_auto.send, quote!(+ ::core::marker::Send)),
                    (self.required_auto.sync, quote!(+ ::core::marker::Sync)),
                ]
                .into_iter()
                .filter_map(|(required, bound)| required.then_some(bound));
                let outlived = &self.lifetime_supertraits;
                predicates.push(quote! {
                    #pointer: #marker + ::core::ops::Deref #deref_mut
                        #(#auto_traits)* #(+ #outlived)*
                });
                // The object's auto traits, known of the object but not of a projection,
                // for methods whose `where Self: Sync` the forwarding call must meet.
                let trait_with_assoc = self.trait_with_assoc();
                let object_bounds = &self.object_bounds;
                predicates.push(quote! {
                    <#pointer as ::core::ops::Deref>::Target: #trait_with_assoc #object_bounds
                });
                params.push(quote!(#pointer));
                target = quote!(<#pointer as ::core::ops::Deref>::Target);
                quote!(#pointer)
            }
            // (`None` returned above.)
            Forwarding::Box | Forwarding::None => {
                marker_items = TokenStream::new();
                let lifetime = &self.lifetime;
                params.insert(0, quote!(#lifetime));
                for outlived in &self.lifetime_supertraits {
                    predicates.push(quote!(#lifetime: #outlived));
                }
                target = object.clone();
                quote!(#private::Box<#object>)
            }
        };
        let assoc = self.assoc_items();
        let methods = self.methods.iter().map(|forwarded| {
            let mut sig = forwarded.method.sig.clone();
            let receiver = match ReceiverShape::of(&sig) {
                ReceiverShape::RefMut => quote!(&mut **self),
                ReceiverShape::Boxed => quote!(*self),
                _ => quote!(&**self),
            };
            let names = rename_arguments(&mut sig);
            let cfgs = cfg_attrs(&forwarded.method.attrs);
            let ident = &sig.ident;
            let arguments = names.iter().skip(1);
            quote! {
                #(#cfgs)*
                #[inline]
                #sig {
                    <#target as #trait_path>::#ident(#receiver #(, #arguments)*)
                }
            }
        });
        let unsafety = &self.item.unsafety;
        quote! {
            #marker_items
            #[diagnostic::do_not_recommend]
            #unsafety impl <#(#params),*> #trait_path for #self_type where #(#predicates,)* {
                #(#assoc)*
                #(#methods)*
            }
        }
    }
}
