//! What the companion is made of, read from the trait once the checks passed: the
//! companion's lifetime, its parameters standing for associated types, the methods it
//! forwards and the auto traits its trait object carries.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::{
    GenericParam, Ident, ItemTrait, Lifetime, TraitItem, TraitItemFn, TraitItemType,
    TypeParamBound, Visibility,
};

use super::super::dyn_hint::requires_sized_self;
use super::super::method_kind::MethodKind;
use super::super::options::TraitOptions;
use super::cfg_variants::cfg_variants;
use super::check::is_auto_trait;
use super::erasure::Returned;

/// One associated type of the trait: it becomes a parameter of the companion.
pub(super) struct AssocType<'t> {
    pub(super) item: &'t TraitItemType,
    /// The companion's parameter standing for it (the associated type's own name, unless a
    /// trait generic already has that name).
    pub(super) param: Ident,
}

/// `Send` and `Sync`, as required of implementors.
#[derive(Clone, Copy)]
pub(super) struct AutoTraits {
    pub(super) send: bool,
    pub(super) sync: bool,
}

/// One method the companion forwards.
pub(super) struct Forwarded {
    /// The method, or one copy of it per combination of its arguments' `#[cfg]`s.
    pub(super) method: TraitItemFn,
    pub(super) returned: Returned,
}

/// The companion of one trait.
pub(super) struct Model<'t> {
    pub(super) item: &'t ItemTrait,
    pub(super) name: &'t Ident,
    /// The companion's visibility: `dyn = pub(crate) Name`'s, or the trait's.
    pub(super) vis: &'t Visibility,
    pub(super) erased: Ident,
    pub(super) lifetime: Lifetime,
    pub(super) assoc: Vec<AssocType<'t>>,
    pub(super) methods: Vec<Forwarded>,
    /// Required `where Self: Sized` methods (with what native mode made of each): not
    /// forwarded, but stubbed for Rust before 1.87.
    pub(super) sized_only: Vec<(&'t TraitItemFn, &'t MethodKind)>,
    /// `Send + Sync` (or the auto-trait supertraits under `?Send`) on the trait object.
    pub(super) object_bounds: TokenStream,
    /// The same auto traits by name (`["Send", "Sync"]`), for the docs and messages.
    pub(super) object_auto_traits: Vec<&'static str>,
    /// The part of `object_bounds` an implementor of the trait does not already promise
    /// through its supertraits (repeating those is a clippy warning in the user's crate).
    pub(super) implementor_bounds: TokenStream,
    /// The auto traits the trait requires of implementors (its supertraits): a pointer to the
    /// companion implements the trait only when it has them.
    pub(super) required_auto: AutoTraits,
    /// Lifetime supertraits (`trait Store: 'static`): the companion's lifetime must outlive them.
    pub(super) lifetime_supertraits: Vec<&'t Lifetime>,
    pub(super) private: TokenStream,
}

impl<'t> Model<'t> {
    pub(super) fn build(
        item: &'t ItemTrait,
        kinds: &'t [Option<MethodKind>],
        name: &'t Ident,
        vis: &'t Visibility,
        options: &TraitOptions,
    ) -> Self {
        let (auto_traits, lifetime_supertraits) = supertraits(item);
        let generic_names: Vec<String> = item
            .generics
            .params
            .iter()
            .map(|param| match param {
                GenericParam::Lifetime(param) => param.lifetime.to_string(),
                GenericParam::Type(param) => param.ident.to_string(),
                GenericParam::Const(param) => param.ident.to_string(),
            })
            .collect();
        let lifetime = companion_lifetime(item);
        let mut assoc = Vec::new();
        let mut methods = Vec::new();
        let mut sized_only = Vec::new();
        for (trait_item, kind) in item.items.iter().zip(kinds) {
            match (trait_item, kind) {
                (TraitItem::Type(ty), _) => {
                    let mut param = ty.ident.clone();
                    while generic_names.iter().any(|name| param == name) {
                        param = format_ident!("{}_", param);
                    }
                    assoc.push(AssocType { item: ty, param });
                }
                (TraitItem::Fn(method), Some(kind)) if !requires_sized_self(&method.sig) => {
                    for method in cfg_variants(method) {
                        let returned = Returned::of(kind, &method.sig.output);
                        methods.push(Forwarded { method, returned });
                    }
                }
                (TraitItem::Fn(method), Some(kind)) if method.default.is_none() => {
                    sized_only.push((method, kind));
                }
                _ => {}
            }
        }

        let mut object_bounds = TokenStream::new();
        let mut object_auto_traits = Vec::new();
        let mut implementor_bounds = TokenStream::new();
        // Under `?Send`, a method that still promises a `Send` future (`impl Future + Send`
        // written out, in a `?Send` trait) makes the companion `Send + Sync`: its forwarding
        // future holds the receiver, a reference to the companion.
        let send_future = methods
            .iter()
            .any(|method| matches!(method.returned, Returned::Future { send: true, .. }));
        for auto_trait in ["Send", "Sync"] {
            let promised = auto_traits.iter().any(|ident| ident == auto_trait);
            if options.relaxed_send.is_none() || promised || send_future {
                let ident = Ident::new(auto_trait, Span::call_site());
                object_bounds.extend(quote!(+ ::core::marker::#ident));
                object_auto_traits.push(auto_trait);
                if !promised {
                    implementor_bounds.extend(quote!(+ ::core::marker::#ident));
                }
            }
        }
        let supertrait = |auto_trait: &str| auto_traits.iter().any(|ident| ident == auto_trait);
        let required_auto = AutoTraits {
            send: supertrait("Send"),
            sync: supertrait("Sync"),
        };
        Model {
            item,
            name,
            vis,
            erased: format_ident!("{}Object", name),
            lifetime,
            assoc,
            methods,
            sized_only,
            object_bounds,
            object_auto_traits,
            implementor_bounds,
            required_auto,
            lifetime_supertraits,
            private: options.krate.private(),
        }
    }
}

/// The supertraits the companion carries over: the auto traits (`Send`, `Sync`) and the
/// lifetimes (`'static`); [`check`](super::check) rejects any other.
fn supertraits(item: &ItemTrait) -> (Vec<Ident>, Vec<&Lifetime>) {
    let mut auto_traits = Vec::new();
    let mut lifetimes = Vec::new();
    for bound in &item.supertraits {
        match bound {
            TypeParamBound::Lifetime(lifetime) => lifetimes.push(lifetime),
            TypeParamBound::Trait(bound) if is_auto_trait(bound) => {
                if let Some(last) = bound.path.segments.last() {
                    auto_traits.push(last.ident.clone());
                }
            }
            _ => {}
        }
    }
    (auto_traits, lifetimes)
}

/// The companion's lifetime: `'a` unless the trait names a lifetime `'a` anywhere (its
/// generics, a method's own lifetimes, a type), then `'dyn_a`, and so on: the companion's
/// impls declare it around the trait's methods, so it must not shadow one of theirs (E0496).
/// Readable in rustdoc (`DynStore<'a>`), and clashing with nothing the user wrote.
fn companion_lifetime(item: &ItemTrait) -> Lifetime {
    struct Names(Vec<String>);
    impl crate::common::walk::Pass for Names {
        fn visit_lifetime_mut(&mut self, lifetime: &mut Lifetime) {
            self.0.push(lifetime.ident.to_string());
        }
    }
    let mut names = Names(Vec::new());
    crate::common::walk::node(&mut names, &mut item.clone());
    let mut candidate = String::from("a");
    while names.0.contains(&candidate) {
        candidate.insert_str(0, "dyn_");
    }
    Lifetime::new(&format!("'{candidate}"), Span::call_site())
}
