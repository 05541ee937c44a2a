//! Boxed mode: each `async fn` returns `Pin<Box<dyn Future<Output = R> + Send + 'async_trait>>`,
//! compatible with async-trait.

use proc_macro2::TokenStream;

use super::{TraitOptions, strip_method_options};
use crate::common::errors::error_with_fallback;

pub(crate) fn expand_trait(item: syn::ItemTrait, options: &TraitOptions) -> TokenStream {
    let _ = options;
    let error = syn::Error::new_spanned(&item.ident, "boxed mode is not implemented yet");
    error_with_fallback(&error, strip_method_options(syn::Item::Trait(item)))
}

pub(crate) fn expand_impl(item: syn::ItemImpl, options: &TraitOptions) -> TokenStream {
    let _ = options;
    let error = syn::Error::new_spanned(&item.self_ty, "boxed mode is not implemented yet");
    error_with_fallback(&error, strip_method_options(syn::Item::Impl(item)))
}
