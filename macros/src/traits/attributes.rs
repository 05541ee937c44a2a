//! The attributes on a trait's or impl's methods that `#[async_trait_ext]` recognises: its own
//! per-method `#[async_trait_ext(?Send)]`, the attributes of other extensions that expand
//! after it (`#[async_stream]`, `#[async_try_stream]`, `#[async_scope]`), and `#[cfg]`.
//!
//! Shared by boxed mode, native mode, the asyncness records and the companion.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::{Attribute, Block, Item, Signature};

use crate::common::crate_path::CratePath;
use crate::common::options::Options;

/// Whether `attr` is `#[name]` for one of `names`, however its path is spelled
/// (`#[async_stream]`, `#[async_ext::async_stream]`).
fn is_named(attr: &Attribute, names: &[&str]) -> bool {
    attr.path()
        .segments
        .last()
        .is_some_and(|segment| names.iter().any(|name| segment.ident == name))
}

/// `#[async_trait_ext(..)]` on a method, or `#[async_trait(..)]`: the name the attribute has
/// where a crate re-exports it as a drop-in for async-trait (whose `#[async_trait]` has no
/// per-method form to confuse it with).
pub(crate) fn is_own_attribute(attr: &Attribute) -> bool {
    is_named(attr, &["async_trait_ext", "async_trait"])
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

/// The per-method options: `#[async_trait_ext(?Send)]` on one method of a trait or impl.
/// Removes that attribute from `attrs` and returns the span of its `?Send`, if any.
pub(crate) fn take_method_options(attrs: &mut Vec<Attribute>) -> syn::Result<Option<Span>> {
    let Some(index) = attrs.iter().position(is_own_attribute) else {
        return Ok(None);
    };
    let attr = attrs.remove(index);
    if let Some(again) = attrs.iter().find(|attr| is_own_attribute(attr)) {
        return Err(syn::Error::new_spanned(
            again,
            "`#[async_trait_ext]` is given twice on this method; keep one",
        ));
    }
    let args = match &attr.meta {
        syn::Meta::List(list) => list.tokens.clone(),
        _ => TokenStream::new(),
    };
    let mut options = Options::parse(args, "async_trait_ext")?;
    let relaxed_send = options.take_relaxed("Send")?;
    options.finish(&["?Send"])?;
    if relaxed_send.is_none() {
        return Err(syn::Error::new_spanned(
            attr,
            "on a method, `#[async_trait_ext]` takes one option: write `#[async_trait_ext(?Send)]`",
        ));
    }
    Ok(relaxed_send)
}

/// The item without per-method `#[async_trait_ext(..)]` attributes, for error fallbacks (so
/// the only error is ours, not "cannot find attribute").
pub(crate) fn strip_method_options(mut item: Item) -> TokenStream {
    match &mut item {
        Item::Trait(item_trait) => {
            for trait_item in &mut item_trait.items {
                if let syn::TraitItem::Fn(method) = trait_item {
                    method.attrs.retain(|attr| !is_own_attribute(attr));
                }
            }
        }
        Item::Impl(item_impl) => {
            for impl_item in &mut item_impl.items {
                if let syn::ImplItem::Fn(method) = impl_item {
                    method.attrs.retain(|attr| !is_own_attribute(attr));
                }
            }
        }
        _ => {}
    }
    item.into_token_stream()
}
