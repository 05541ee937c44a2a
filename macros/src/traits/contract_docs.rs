//! The paragraph appended to an expanded trait's docs: how to implement it and how to reach
//! it through `dyn`, which differ between the modes and which neither rustdoc nor the
//! signatures say (a native trait's page otherwise only reads "This trait is not dyn
//! compatible").

use std::fmt::Write;

use proc_macro2::Span;
use syn::{Attribute, Ident, ItemTrait};

/// Appends `text` to the trait's docs as its own paragraph. Only to docs the user wrote: on
/// an undocumented trait it would silence `missing_docs`, the lint that finds it.
fn append(item: &mut ItemTrait, text: &str) {
    if !item.attrs.iter().any(|attr| attr.path().is_ident("doc")) {
        return;
    }
    let text = format!("\n\n{text}");
    let doc = syn::LitStr::new(&text, Span::call_site());
    let attr: Attribute = syn::parse_quote!(#[doc = #doc]);
    item.attrs.push(attr);
}

/// Boxed mode: the impl needs the attribute too.
pub(super) fn boxed(item: &mut ItemTrait, send: bool) {
    let trait_ident = &item.ident;
    let attribute = if send {
        "#[async_trait_ext]"
    } else {
        "#[async_trait_ext(?Send)]"
    };
    let futures = if send {
        "boxed futures (`Send`, unless a method says `?Send`)"
    } else {
        "boxed futures"
    };
    let text = format!(
        "*Implementing `{trait_ident}`:* put `{attribute}` on the impl too and write its \
         methods as `async fn`. Its async methods return {futures}, so `dyn {trait_ident}` works."
    );
    append(item, &text);
}

/// Native mode: a plain impl; `dyn` goes through the companion, if there is one.
pub(super) fn native(
    item: &mut ItemTrait,
    send: bool,
    companion: Option<&Ident>,
    local: Option<&Ident>,
) {
    let trait_ident = &item.ident;
    let futures = if send {
        "their futures are `Send`"
    } else {
        "their futures need not be `Send`"
    };
    let mut text = format!(
        "*Implementing `{trait_ident}`:* a plain impl, no attribute, with `async fn` \
         methods ({futures}); calls through a generic `T: {trait_ident}` allocate nothing."
    );
    match companion {
        Some(name) => {
            let _ = write!(
                text,
                " This trait is not dyn compatible: for dynamic dispatch use [`{name}`] \
                 (`{name}::boxed(value)`, `{name}::from_ref(&value)`), which implements \
                 `{trait_ident}` itself."
            );
        }
        None => text.push_str(
            " This trait is not dyn compatible, and it has no `dyn` companion (`dyn = none`).",
        ),
    }
    if let Some(local) = local {
        let _ = write!(
            text,
            " [`{local}`] is the same trait without `Send` on its futures, implemented for \
             every implementor of `{trait_ident}`."
        );
    }
    append(item, &text);
}
