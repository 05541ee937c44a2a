//! The names that arguments bound by a pattern (`(a, b): (u8, u8)`, `_: T`) get in a
//! signature, where patterns are not allowed without a body; the body binds the pattern from
//! that name. Shared by boxed mode, native mode and the companion.

use proc_macro2::Span;
use quote::format_ident;
use syn::spanned::Spanned;
use syn::{Ident, Pat, PatIdent};

/// `__async_ext_arg2`: boxed mode's name for argument 2, at the user's pattern; mixed-site,
/// so it cannot collide with a user's local variable.
pub(crate) fn boxed_argument_name(index: usize, pat: &Pat) -> Ident {
    format_ident!(
        "__async_ext_arg{}",
        index,
        span = pat.span().resolved_at(Span::mixed_site())
    )
}

/// `__arg2`: native mode's and the companion's name for argument 2 (rustdoc shows it);
/// mixed-site, so it cannot collide with a user's local variable.
pub(crate) fn native_argument_name(index: usize) -> Ident {
    format_ident!("__arg{}", index, span = Span::mixed_site())
}

/// `ident` as a pattern that binds the whole argument (no `mut`, `ref` or `@ subpattern`).
pub(crate) fn plain_binding(ident: Ident) -> Pat {
    Pat::Ident(PatIdent {
        attrs: Vec::new(),
        by_ref: None,
        mutability: None,
        ident,
        subpat: None,
    })
}
