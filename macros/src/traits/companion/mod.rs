//! Native mode's `Dyn` companion: dynamic dispatch for a native trait, without `unsafe`.
//!
//! For `trait Store { type Item; async fn get(&self, key: &str) -> Option<Self::Item>; }`:
//!
//! * a dyn-compatible `DynStoreObject` trait (its methods hidden) whose async methods return
//!   `__private::SendInlineFuture<'fut, R>` (the implementor's future, type-erased, inline
//!   when it fits in 128 bytes, boxed otherwise), blanket-implemented for every
//!   `T: Store + Send + Sync`;
//! * `pub type DynStore<'a, Item> = dyn DynStoreObject<Item> + Send + Sync + 'a;`
//!   The companion *is* a trait object, so `&T` becomes `&DynStore` by an ordinary unsizing
//!   coercion: no pointer cast and no `unsafe` in generated code (a `#[repr(transparent)]`
//!   struct around the trait object, as dynosaur does, needs a cast);
//! * inherent constructors on that trait object type (`boxed`, `from_box`, `from_ref`,
//!   `from_mut`), legal because the erased trait is local to the user's crate;
//! * `impl Store for DynStore<'_, Item>`, forwarding each method to the erased one, so the
//!   companion can be handed to generic code (`S: Store + ?Sized`), and one generic impl for
//!   every pointer to it (`P: Deref<Target = DynStore<'_, Item>>`).
//!
//! The object trait is public and documented, not hidden: rustdoc lists inherent impls of
//! `dyn DynStoreObject` (the constructors) and its trait impls on that trait's page, which
//! the alias's page cannot show; and rustc names `dyn DynStoreObject + Send + Sync` in its
//! errors (a `Sized` misuse), so the name must read as the companion's.
//!
//! The pipeline: [`check`] rejects what no companion can forward (each error names the item
//! and the fix), [`model`] reads the trait into what the companion is made of, and
//! [`generate`] writes the items above from the model only ([`pointers`] the pointer impl,
//! [`docs`] the rustdoc text).

use proc_macro2::TokenStream;
use syn::{Ident, ItemTrait, Visibility};

pub(in crate::traits) use self::cfg_variants::{MAX_CFG_ARGUMENTS, cfg_variants};
pub(in crate::traits) use self::generate::rename_arguments;
use self::model::Model;
use super::method_kind::MethodKind;
use super::options::TraitOptions;

mod cfg_variants;
mod check;
mod docs;
mod erasure;
mod generate;
mod model;
mod pointers;
mod visitors;

/// The companion named `name` of the native trait `item`, whose methods native mode made
/// into `kinds` (one per item, `None` for items that are not methods).
pub(crate) fn expand(
    item: &ItemTrait,
    kinds: &[Option<MethodKind>],
    name: &Ident,
    vis: Option<&Visibility>,
    options: &TraitOptions,
) -> syn::Result<TokenStream> {
    check::check_trait(item, kinds, name)?;
    let model = Model::build(item, kinds, name, vis.unwrap_or(&item.vis), options);
    Ok(model.generate())
}
