//! The attributes on a trait's or impl's methods that `#[async_trait_ext]` recognises: its own
//! per-method `#[async_trait_ext(?Send)]`, the attributes of other extensions that expand
//! after it (`#[async_stream]`, `#[async_try_stream]`, `#[async_scope]`), and `#[cfg]`.
//!
//! Shared by boxed mode, native mode, the asyncness records and the companion.

use syn::{Attribute, Block, Signature};

use crate::common::crate_path::CratePath;

/// Whether `attr` is `#[name]` for one of `names`, however its path is spelled
/// (`#[async_stream]`, `#[async_ext::async_stream]`).
fn is_named(attr: &Attribute, names: &[&str]) -> bool {
    attr.path()
        .segments
        .last()
        .is_some_and(|segment| names.iter().any(|name| segment.ident == name))
}

/// `#[async_trait_ext(..)]` on a method.
pub(crate) fn is_own_attribute(attr: &Attribute) -> bool {
    is_named(attr, &["async_trait_ext"])
}

/// A method carrying `#[async_stream]`/`#[async_try_stream]` is a stream, which that
/// attribute expands after us: it is not an async fn to rewrite.
pub(crate) fn is_stream_method(attrs: &[Attribute]) -> bool {
    attrs
        .iter()
        .any(|attr| is_named(attr, &["async_stream", "async_try_stream"]))
}

fn is_async_scope(attr: &Attribute) -> bool {
    is_named(attr, &["async_scope"])
}

/// Removes `#[async_scope]` from `attrs`, returning it.
pub(crate) fn take_async_scope(attrs: &mut Vec<Attribute>) -> Option<Attribute> {
    let index = attrs.iter().position(is_async_scope)?;
    Some(attrs.remove(index))
}

/// `#[async_scope]` on a method with a body: it expands after us and wants an `async fn`, so
/// we apply its rewrite (which keeps the fn `async`) before ours, and remove the attribute.
#[cfg(feature = "async-drop")]
pub(crate) fn apply_async_scope(
    attrs: &mut Vec<Attribute>,
    sig: &mut Signature,
    block: &mut Block,
    krate: &CratePath,
) -> syn::Result<()> {
    if take_async_scope(attrs).is_none() {
        return Ok(());
    }
    crate::async_drop::rewrite_scope_fn(sig, block, krate)
}

/// Without the `async-drop` feature `async_ext` has no `#[async_scope]`: the attribute stays
/// where it is, for rustc to report.
#[cfg(not(feature = "async-drop"))]
#[allow(clippy::unnecessary_wraps)]
pub(crate) fn apply_async_scope(
    _: &mut Vec<Attribute>,
    _: &mut Signature,
    _: &mut Block,
    _: &CratePath,
) -> syn::Result<()> {
    Ok(())
}

/// The `#[cfg]`s among `attrs`, to repeat on what is generated for the item they are on.
pub(crate) fn cfg_attrs(attrs: &[Attribute]) -> impl Iterator<Item = &Attribute> {
    attrs.iter().filter(|attr| attr.path().is_ident("cfg"))
}

/// Whether `attrs` hold a `#[cfg]` or `#[cfg_attr]`.
pub(crate) fn has_cfg(attrs: &[Attribute]) -> bool {
    attrs
        .iter()
        .any(|attr| attr.path().is_ident("cfg") || attr.path().is_ident("cfg_attr"))
}
