//! Native mode: each `async fn` becomes `fn m(..) -> impl Future<Output = R> + Send`, and a
//! `Dyn` companion gives dynamic dispatch.

use proc_macro2::TokenStream;

use super::{TraitOptions, strip_method_options};
use crate::common::errors::error_with_fallback;

pub(crate) fn expand_trait(item: syn::ItemTrait, options: &TraitOptions) -> TokenStream {
    let _ = options;
    let error = syn::Error::new_spanned(&item.ident, "native mode is not implemented yet");
    error_with_fallback(&error, strip_method_options(syn::Item::Trait(item)))
}
