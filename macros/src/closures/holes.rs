//! Argument types as "types with lifetime holes", so that `&str` arguments stay
//! higher-ranked through the funnel that gives the body closures their signature.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::{Lifetime, Type};

use crate::common::walk::{self, Pass};

/// How many elided lifetimes one argument type may have (the holes of `ArgType`).
const HOLES: usize = 4;

// Input: `&mut Vec<&str>`
// Output: `dyn for<'__x0, '__x1, '__x2, '__x3> PRIVATE::ArgType<'__x0, '__x1, '__x2, '__x3,
//          Of = &'__x0 mut Vec<&'__x1 str>>`
// Each elided lifetime (`&T`, `'_`) becomes its own hole; lifetimes inside `fn(..)` pointers
// and `Fn(..)` bounds are already higher-ranked there and stay as written.
pub(crate) fn hole_type(ty: &Type, private: &TokenStream) -> syn::Result<TokenStream> {
    let mut with_holes = ty.clone();
    let mut filler = HoleFiller {
        next: 0,
        error: None,
    };
    filler.visit_type_mut(&mut with_holes);
    if let Some(error) = filler.error {
        return Err(error);
    }
    let holes: Vec<Lifetime> = (0..HOLES).map(hole).collect();
    Ok(quote! {
        dyn for<#(#holes),*> #private::ArgType<#(#holes,)* Of = #with_holes>
    })
}

fn hole(index: usize) -> Lifetime {
    Lifetime::new(&format!("'__async_ext_x{index}"), Span::call_site())
}

struct HoleFiller {
    next: usize,
    error: Option<syn::Error>,
}

impl HoleFiller {
    fn fill(&mut self, span: Span) -> Option<Lifetime> {
        if self.next == HOLES {
            if self.error.is_none() {
                self.error = Some(syn::Error::new(
                    span,
                    format!(
                        "an argument type of `async_closure!` may elide at most {HOLES} \
                         lifetimes: use lifetimes of the enclosing fn for the others, or pass \
                         a struct"
                    ),
                ));
            }
            return None;
        }
        let lifetime = hole(self.next);
        self.next += 1;
        Some(lifetime)
    }
}

impl Pass for HoleFiller {
    // An expression in a type (`[u8; N]`) holds nothing this looks for.
    fn visit_expr_mut(&mut self, _: &mut syn::Expr) {}

    fn visit_type_reference_mut(&mut self, node: &mut syn::TypeReference) {
        if node.lifetime.is_none() {
            node.lifetime = self.fill(node.and_token.span);
        }
        walk::children(self, node);
    }

    fn visit_lifetime_mut(&mut self, node: &mut Lifetime) {
        if node.ident == "_" {
            if let Some(lifetime) = self.fill(node.apostrophe) {
                *node = lifetime;
            }
        }
    }

    // `fn(&str)` and `Fn(&str)`: the elided lifetimes belong to that binder.
    fn visit_type_fn_ptr_mut(&mut self, _: &mut syn::TypeFnPtr) {}

    fn visit_parenthesized_generic_arguments_mut(
        &mut self,
        _: &mut syn::ParenthesizedGenericArguments,
    ) {
    }
}

// Input: the return type after `->`, e.g. `&str` or `Option<&'_ u8>` or `fn(&str) -> &str`
// Output: an error at the first elided lifetime outside `fn(..)`/`Fn(..)` (where elision is
//         higher-ranked and fine): the output is one type for every call, so it cannot borrow
//         from a call's arguments or from the closure's state; rustc would report a lifetime
//         or type mismatch inside the expansion instead.
pub(crate) fn check_output(ty: &Type) -> syn::Result<()> {
    let mut finder = ElidedFinder { found: None };
    let mut ty = ty.clone();
    finder.visit_type_mut(&mut ty);
    match finder.found {
        None => Ok(()),
        Some(span) => Err(syn::Error::new(
            span,
            "the output of `async_closure!` cannot borrow from the arguments or the captures: \
             return an owned value (e.g. `String` instead of `&str`), or name a lifetime of the \
             enclosing fn (`&'a str`) for data borrowed from outside the closure",
        )),
    }
}

struct ElidedFinder {
    found: Option<Span>,
}

impl Pass for ElidedFinder {
    // An expression in a type (`[u8; N]`) holds nothing this looks for.
    fn visit_expr_mut(&mut self, _: &mut syn::Expr) {}

    fn visit_type_reference_mut(&mut self, node: &mut syn::TypeReference) {
        if node.lifetime.is_none() && self.found.is_none() {
            self.found = Some(node.and_token.span);
        }
        walk::children(self, node);
    }

    fn visit_lifetime_mut(&mut self, node: &mut Lifetime) {
        if node.ident == "_" && self.found.is_none() {
            self.found = Some(node.apostrophe);
        }
    }

    fn visit_type_fn_ptr_mut(&mut self, _: &mut syn::TypeFnPtr) {}

    fn visit_parenthesized_generic_arguments_mut(
        &mut self,
        _: &mut syn::ParenthesizedGenericArguments,
    ) {
    }
}
