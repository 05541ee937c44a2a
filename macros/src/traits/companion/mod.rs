//! Native mode's `Dyn` companion: dynamic dispatch for a native trait, without `unsafe`.
//!
//! For `trait Store { type Item; async fn get(&self, key: &str) -> Option<Self::Item>; }`:
//!
//! * a hidden, dyn-compatible `__DynStoreErased` trait whose async methods return
//!   `__private::SendInlineFuture<'fut, R>` (the implementor's future, type-erased, inline
//!   when it fits in 128 bytes, boxed otherwise), blanket-implemented for every
//!   `T: Store + Send + Sync`;
//! * `pub type DynStore<'a, Item> = dyn __DynStoreErased<Item> + Send + Sync + 'a;`
//!   The companion *is* a trait object, so `&T` becomes `&DynStore` by an ordinary unsizing
//!   coercion: no pointer cast and no `unsafe` in generated code (a `#[repr(transparent)]`
//!   struct around the trait object, as dynosaur does, needs a cast);
//! * inherent constructors on that trait object type (`boxed`, `from_box`, `from_ref`,
//!   `from_mut`), legal because the erased trait is local to the user's crate;
//! * `impl Store for DynStore<'_, Item>`, forwarding each method to the erased one, so the
//!   companion can be handed to generic code (`S: Store + ?Sized`).
//!
//! The pipeline: [`check`] rejects what no companion can forward (each error names the item
//! and the fix), [`model`] reads the trait into what the companion is made of, and
//! [`generate`] writes the five items above from the model only.

use proc_macro2::TokenStream;
use syn::{Ident, ItemTrait, Visibility};

pub(in crate::traits) use self::cfg_variants::{MAX_CFG_ARGUMENTS, cfg_variants};
pub(in crate::traits) use self::generate::rename_arguments;
use self::model::Model;
use super::method_kind::MethodKind;
use super::options::TraitOptions;

mod cfg_variants;
mod check;
mod erasure;
mod generate;
mod model;
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
