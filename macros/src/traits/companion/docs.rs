//! What rustdoc and an editor's hover show for the companion: the alias users write
//! (`DynStore`) and the object trait behind it (`DynStoreObject`), whose page is where rustdoc
//! lists the constructors and the trait impls.

use syn::GenericParam;

use super::model::Model;
use super::pointers::Forwarding;

impl Model<'_> {
    /// `DynStore<'a, K, Item>`, as the docs spell the companion with its parameters.
    fn spelled(&self) -> String {
        let mut params = vec![self.lifetime.to_string()];
        params.extend(self.object_args());
        format!("{}<{}>", self.name, params.join(", "))
    }

    /// `K, Item`: the companion's parameters after its lifetime, which are the object trait's.
    fn object_args(&self) -> Vec<String> {
        let mut params = Vec::new();
        for param in &self.item.generics.params {
            params.push(match param {
                GenericParam::Lifetime(param) => param.lifetime.to_string(),
                GenericParam::Type(param) => param.ident.to_string(),
                GenericParam::Const(param) => param.ident.to_string(),
            });
        }
        params.extend(self.assoc.iter().map(|assoc| assoc.param.to_string()));
        params
    }

    /// ` that is `Send + Sync``, or nothing under `?Send`.
    pub(super) fn auto_traits_phrase(&self) -> String {
        let auto = &self.object_auto_traits;
        if auto.is_empty() {
            String::new()
        } else {
            format!(" that is `{}`", auto.join(" + "))
        }
    }

    /// What the companion's pointers implement, as one sentence for the docs.
    fn pointers_sentence(&self) -> String {
        let trait_ident = &self.item.ident;
        match self.forwarding() {
            Forwarding::Deref { mutable: false } => format!(
                " So do `Box<{name}>`, `&{name}`, `&mut {name}` and `Arc<{name}>`, so each goes \
                 where an `impl {trait_ident}` is expected.",
                name = self.name
            ),
            Forwarding::Deref { mutable: true } => format!(
                " So do `Box<{name}>` and `&mut {name}`, so each goes where an \
                 `impl {trait_ident}` is expected (a `&mut self` method rules out `&` and `Arc`).",
                name = self.name
            ),
            Forwarding::Box => format!(
                " So does `Box<{}>` (a `self: Box<Self>` method rules out other pointers).",
                self.name
            ),
            Forwarding::None => String::new(),
        }
    }

    pub(super) fn alias_doc(&self) -> String {
        let trait_ident = &self.item.ident;
        let name = self.name;
        let spelled = self.spelled();
        let object = &self.erased;
        let pointers = self.pointers_sentence();
        format!(
            "Dynamic dispatch for [`{trait_ident}`]: `{spelled}` holds any implementor \
             behind a pointer, borrowing for `{lifetime}`.\n\n\
             * `{name}::boxed(value)` moves a value into a `Box<{spelled}>`;\n\
             * `{name}::from_box(boxed)` turns a `Box` of an implementor into one, without \
             allocating;\n\
             * `{name}::from_ref(&value)` and `{name}::from_mut(&mut value)` view a value as \
             `&{name}` / `&mut {name}`, without allocating.\n\n\
             It implements [`{trait_ident}`] itself.{pointers} An async call through it \
             allocates nothing when the implementor's future fits in 128 bytes, and boxes it \
             otherwise.\n\n\
             `{name}` is `dyn {object}`: the constructors and impls are listed on \
             [`{object}`].",
            lifetime = self.lifetime,
        )
    }

    pub(super) fn object_trait_doc(&self) -> String {
        let trait_ident = &self.item.ident;
        let name = self.name;
        let bounds: String = self
            .object_auto_traits
            .iter()
            .flat_map(|auto| [" + ", auto])
            .collect();
        let args = self.object_args();
        let object = if args.is_empty() {
            self.erased.to_string()
        } else {
            format!("{}<{}>", self.erased, args.join(", "))
        };
        format!(
            "The dyn-compatible form of [`{trait_ident}`], which [`{name}`] is the `dyn` of: \
             `{spelled} = dyn {object}{bounds} + '{lifetime_name}`.\n\n\
             Implemented for every implementor of [`{trait_ident}`]; never implemented or named \
             by hand (write `{name}`). Its methods are hidden: call the methods of \
             [`{trait_ident}`] on a `{name}`. This page lists `{name}`'s constructors and its \
             implementations of [`{trait_ident}`].",
            spelled = self.spelled(),
            lifetime_name = self.lifetime.ident,
        )
    }

    /// The object trait's `on_unimplemented`: what a value that cannot become the companion
    /// is told (a `Box<Memory>` handed to `DynStore::boxed`, a type that is not `Sync`).
    pub(super) fn not_a_source_diagnostic(&self) -> (String, String, String) {
        let trait_ident = &self.item.ident;
        let name = self.name;
        let implementor = format!(
            "an implementor of `{trait_ident}`{}",
            self.auto_traits_phrase()
        );
        (
            format!("`{{Self}}` cannot become a `{name}`: it is not {implementor}"),
            format!("not {implementor}"),
            format!(
                "a `Box` of an implementor becomes a `Box<{name}>` with `{name}::from_box(boxed)`, \
                 a reference to one a `&{name}` with `{name}::from_ref(&value)` or \
                 `{name}::from_mut(&mut value)`"
            ),
        )
    }
}
