//! How an `impl Trait` crosses the companion's `dyn` boundary, as a return or an argument.
//!
//! Input:  `fn iter(&self) -> impl Iterator<Item = u8> + Send;`
//! Output: the erased method returns `Box<dyn Iterator<Item = u8> + Send + '__fut>`, which is
//!         itself an `Iterator`, so the companion's `iter` returns it as its `impl Iterator`.
//!
//! Input:  `fn show(&self, value: impl Display + Send);`
//! Output: the erased method takes `Box<dyn Display + Send + '_>`; the companion boxes the
//!         argument and the implementor receives the box (`Box<dyn Display>` is `Display`).
//!
//! `Future` and `Stream` go in a `Pin<Box<…>>` (a `Box` of an unpinned future is no future).
//! An `impl Future<Output = T>` return is forwarded like an `async fn`'s future (inline when
//! small, no box). The bounds are the user's: one trait (plus `Send`, `Sync`, lifetimes);
//! a boxed `dyn Trait` is that trait only where the trait says so for `Box<T: ?Sized>`, as the
//! standard library's traits do (a trait of the user's crate needs that impl, as for dynosaur).

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::{GenericArgument, Lifetime, PathArguments, Type, TypeImplTrait, TypeParamBound};

use super::super::method_kind::MethodKind;
use super::check::is_auto_trait;

/// What a forwarded method returns, as the companion carries it.
pub(super) enum Returned {
    /// A plain type: passed through.
    Value,
    /// A future (an `async fn`, or `impl Future<Output = T>`): type-erased, inline when small.
    Future { output: Box<Type>, send: bool },
    /// Any other `impl Trait`: boxed as a `dyn Trait`.
    Boxed(BoxedImpl),
}

/// An `impl Trait` carried as a boxed `dyn Trait`.
pub(super) struct BoxedImpl {
    /// The `impl`'s bounds without lifetimes and `use<…>` (`Iterator<Item = u8> + Send`).
    bounds: TokenStream,
    /// `impl Trait + 'x`: the `dyn` lives for `'x` instead of for the call's lifetime.
    pub(super) lifetime: Option<Lifetime>,
    /// `Future` and `Stream` need `Pin<Box<…>>`.
    pinned: bool,
}

impl BoxedImpl {
    /// `impl Trait`'s parts, or `None` for bounds no `dyn` can stand for (two traits, none,
    /// or a `for<'x>` / `?Sized` trait bound), or for a `Sized` trait.
    pub(super) fn of(impl_trait: &TypeImplTrait) -> Option<Self> {
        let mut principal = None;
        let mut bounds = Vec::new();
        let mut lifetime = None;
        for bound in &impl_trait.bounds {
            match bound {
                TypeParamBound::Lifetime(explicit) => lifetime = Some(explicit.clone()),
                TypeParamBound::Trait(bound) if is_auto_trait(bound) => {
                    bounds.push(bound.to_token_stream());
                }
                TypeParamBound::Trait(bound) => {
                    if principal.is_some() || bound.maybe.is_some() || bound.path.is_ident("Sized")
                    {
                        return None;
                    }
                    principal = Some(bound);
                    bounds.insert(0, bound.to_token_stream());
                }
                // `use<…>` (and anything newer syn knows): the box captures what it must.
                _ => {}
            }
        }
        let pinned = principal.is_some_and(|principal| {
            principal
                .path
                .segments
                .last()
                .is_some_and(|last| last.ident == "Future" || last.ident == "Stream")
        });
        Some(BoxedImpl {
            bounds: quote!(#(#bounds)+*),
            lifetime,
            pinned,
        })
    }

    /// `Box<dyn Bounds + 'lifetime>`, or `Pin<Box<…>>` (the `impl`'s own lifetime wins).
    pub(super) fn boxed_type(&self, private: &TokenStream, lifetime: &TokenStream) -> Type {
        let bounds = &self.bounds;
        let lifetime = self
            .lifetime
            .as_ref()
            .map_or_else(|| lifetime.clone(), ToTokens::to_token_stream);
        let boxed = quote!(#private::Box<dyn #bounds + #lifetime>);
        if self.pinned {
            syn::parse_quote!(#private::Pin<#boxed>)
        } else {
            syn::parse_quote!(#boxed)
        }
    }

    /// The expression that boxes `value` into [`BoxedImpl::boxed_type`].
    pub(super) fn boxing(&self, private: &TokenStream, value: &TokenStream) -> TokenStream {
        if self.pinned {
            quote!(#private::Box::pin(#value))
        } else {
            quote!(#private::Box::new(#value))
        }
    }
}

impl Returned {
    /// What the companion makes of a method native mode made into `kind`.
    pub(super) fn of(kind: &MethodKind, output: &syn::ReturnType) -> Self {
        match (kind, output) {
            (MethodKind::Async { output, send }, _) => Returned::Future {
                output: output.clone(),
                send: *send,
            },
            (_, syn::ReturnType::Type(_, ty)) => match &**ty {
                Type::ImplTrait(impl_trait) => future_output(impl_trait).map_or_else(
                    || BoxedImpl::of(impl_trait).map_or(Returned::Value, Returned::Boxed),
                    |output| Returned::Future {
                        output: Box::new(output),
                        send: impl_trait.bounds.iter().any(|bound| {
                            matches!(bound, TypeParamBound::Trait(bound)
                                if is_auto_trait(bound)
                                    && bound.path.segments.last().is_some_and(|last| last.ident == "Send"))
                        }),
                    },
                ),
                _ => Returned::Value,
            },
            _ => Returned::Value,
        }
    }

    /// Whether the erased method needs a `'__fut` lifetime that every input outlives.
    pub(super) fn needs_lifetime(&self) -> bool {
        !matches!(self, Returned::Value)
    }
}

/// `T` of `impl Future<Output = T> (+ Send …)`.
fn future_output(impl_trait: &TypeImplTrait) -> Option<Type> {
    impl_trait.bounds.iter().find_map(|bound| {
        let TypeParamBound::Trait(bound) = bound else {
            return None;
        };
        let last = bound.path.segments.last()?;
        if last.ident != "Future" {
            return None;
        }
        let PathArguments::AngleBracketed(args) = &last.arguments else {
            return None;
        };
        args.args.iter().find_map(|arg| match arg {
            GenericArgument::AssocType(assoc) if assoc.ident == "Output" => Some(assoc.ty.clone()),
            _ => None,
        })
    })
}

/// The argument's `impl Trait` when the argument's type is one.
pub(super) fn impl_argument(ty: &Type) -> Option<&TypeImplTrait> {
    match ty {
        Type::ImplTrait(impl_trait) => Some(impl_trait),
        Type::Paren(paren) => impl_argument(&paren.elem),
        _ => None,
    }
}
