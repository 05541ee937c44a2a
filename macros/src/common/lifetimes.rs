//! Lifetimes of a signature: naming the elided ones (`&self`, `&str`, `Ref<'_, T>`) so they
//! can be bounded or captured, collecting the named ones, and giving an output type the
//! lifetime elision would give it.
//!
//! Shared by `#[async_trait_ext]` (boxed mode and native mode's companion) and
//! `#[async_stream]`/`#[async_try_stream]`: one visitor, with a [`Naming`] and an
//! [`OutputElision`] setting where the extensions' outputs differ.

use proc_macro2::Span;
use syn::{
    Expr, FnArg, GenericArgument, Lifetime, ParenthesizedGenericArguments, ReceiverKind,
    ReturnType, Signature, Token, Type, TypeFnPtr, TypeImplTrait, TypeParamBound, TypeParen,
    TypeReference, token,
};

use super::walk::{self, Pass};

/// Which signature the elided lifetimes are named for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Naming {
    /// A boxed method: async-trait's names (`'life0`, `'life1`, …, each at the `&` or `'_` it
    /// replaces) for async-trait's set of lifetimes (those of references and generic
    /// arguments, not `dyn Trait + '_`), so that the signature is async-trait's to the letter
    /// and traits and impls of the two crates mix.
    AsyncTraitCompatible,
    /// An erased method of the companion: hidden names (`'__life0`, …, mixed-site), and also
    /// every `'_` in bounds (`Box<dyn Trait + '_>`), which the erased future must outlive too.
    Companion,
    /// A stream fn: the same set as [`Naming::Companion`] and the same names (`'__life0`, …),
    /// but each at the `&` or `'_` it replaces, as the streams code always named them.
    Stream,
}

/// Which input lifetime output elision gives the output's elided lifetimes. The two
/// extensions were written against different readings of rustc's rule; each keeps its own so
/// that no generated code changed when they came to share this module.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum OutputElision {
    /// The receiver's first lifetime (`&'a self`, `self: Pin<&'a mut Self>`), else the only
    /// lifetime of the inputs, each occurrence counted (`x: &'a u8, y: &'a u8` picks none).
    /// The companion's rule.
    ReceiverFirst,
    /// `&'a self`'s lifetime, else the only distinct lifetime of the inputs, a typed
    /// receiver's included (`self: Pin<&'a mut Self>, x: &str` picks none;
    /// `x: &'a u8, y: &'a u8` picks `'a`). The streams' rule.
    ReferenceReceiverFirst,
}

/// The lifetimes of a signature's inputs, after [`name_elided_input_lifetimes`].
#[derive(Default)]
pub(crate) struct InputLifetimes {
    /// The names given to elided lifetimes, in order: `'life0`, `'life1`, …
    pub(crate) elided: Vec<Lifetime>,
    /// The lifetimes the user named, in order of appearance (may repeat).
    pub(crate) explicit: Vec<Lifetime>,
    /// Every lifetime of the inputs but `'static`, named by us or the user, in order.
    in_order: Vec<Lifetime>,
    /// The receiver's first lifetime (`&'a self`, `self: Pin<&'a mut Self>`).
    receiver: Option<Lifetime>,
    /// The lifetime of `&self`/`&mut self`, `'static` included (not of `self: &Self` or
    /// `self: Pin<&mut Self>`).
    reference_receiver: Option<Lifetime>,
}

// Input:  fn f(&self, x: &str, r: Ref<'_, u8>, y: &'a u8)
// Output: fn f(&'life0 self, x: &'life1 str, r: Ref<'life2, u8>, y: &'a u8), returning
//         `elided = ['life0, 'life1, 'life2]`, `explicit = ['a]` (with `Naming::Companion`
//         or `Naming::Stream`: `'__life0`, …). Lifetimes elided entirely in paths
//         (`Ref<u8>`) stay elided, as in async-trait, and so do those of `fn(&u8)` and
//         `Fn(&u8)`, which are higher-ranked.
pub(crate) fn name_elided_input_lifetimes(sig: &mut Signature, naming: Naming) -> InputLifetimes {
    let mut namer = NameElided {
        naming,
        lifetimes: InputLifetimes::default(),
    };
    for input in &mut sig.inputs {
        match input {
            FnArg::Receiver(receiver) => {
                namer.visit_receiver_kind_mut(&mut receiver.kind);
                if let ReceiverKind::Reference(_, lifetime, _) = &receiver.kind {
                    namer.lifetimes.reference_receiver.clone_from(lifetime);
                }
                namer.lifetimes.receiver = namer.lifetimes.in_order.first().cloned();
            }
            FnArg::Typed(argument) => namer.visit_type_mut(&mut argument.ty),
        }
    }
    namer.lifetimes
}

// Input:  `&str` as the output of `fn get(&'l0 self, key: &'l1 str)`
// Output: `&'l0 str`: every elided lifetime of `output` gets the one elision picks (by
//         `rule`: the receiver's, or the only input lifetime), so no lint sees a lifetime
//         named on one side and elided on the other. Unchanged when elision picks none.
pub(crate) fn elide_output_lifetimes(
    output: &mut Type,
    inputs: &InputLifetimes,
    rule: OutputElision,
) {
    let receiver = match rule {
        OutputElision::ReceiverFirst => inputs.receiver.clone(),
        OutputElision::ReferenceReceiverFirst => inputs.reference_receiver.clone(),
    };
    let target = receiver.or_else(|| {
        let mut candidates: Vec<&Lifetime> = Vec::new();
        for lifetime in &inputs.in_order {
            if rule == OutputElision::ReceiverFirst || !candidates.contains(&lifetime) {
                candidates.push(lifetime);
            }
        }
        match candidates.as_slice() {
            [only] => Some((*only).clone()),
            _ => None,
        }
    });
    if let Some(target) = target {
        FillElided(target).visit_type_mut(output);
    }
}

struct NameElided {
    naming: Naming,
    lifetimes: InputLifetimes,
}

impl NameElided {
    fn next_name(&mut self, span: Span) -> Lifetime {
        let index = self.lifetimes.elided.len();
        let lifetime = match self.naming {
            Naming::AsyncTraitCompatible => Lifetime::new(&format!("'life{index}"), span),
            Naming::Companion => Lifetime::new(&format!("'__life{index}"), Span::mixed_site()),
            Naming::Stream => Lifetime::new(&format!("'__life{index}"), span),
        };
        self.lifetimes.elided.push(lifetime.clone());
        self.lifetimes.in_order.push(lifetime.clone());
        lifetime
    }

    fn visit_reference_lifetime(&mut self, and_token: Token![&], lifetime: &mut Option<Lifetime>) {
        match lifetime {
            None => *lifetime = Some(self.next_name(and_token.span)),
            Some(lifetime) => self.visit_named_or_underscore(lifetime),
        }
    }

    fn visit_named_or_underscore(&mut self, lifetime: &mut Lifetime) {
        if lifetime.ident == "_" {
            *lifetime = self.next_name(lifetime.span());
        } else if lifetime.ident != "static" {
            self.lifetimes.explicit.push(lifetime.clone());
            self.lifetimes.in_order.push(lifetime.clone());
        }
    }
}

impl Pass for NameElided {
    // An expression in a type (`[u8; N]`) holds nothing this looks for.
    fn visit_expr_mut(&mut self, _: &mut syn::Expr) {}

    fn visit_receiver_kind_mut(&mut self, kind: &mut ReceiverKind) {
        match kind {
            ReceiverKind::Reference(and_token, lifetime, _) => {
                self.visit_reference_lifetime(*and_token, lifetime);
            }
            ReceiverKind::Typed(_, ty) => self.visit_type_mut(ty),
            _ => {}
        }
    }

    fn visit_type_reference_mut(&mut self, ty: &mut TypeReference) {
        self.visit_reference_lifetime(ty.and_token, &mut ty.lifetime);
        self.visit_type_mut(&mut ty.elem);
    }

    fn visit_generic_argument_mut(&mut self, argument: &mut GenericArgument) {
        if let GenericArgument::Lifetime(lifetime) = argument {
            self.visit_named_or_underscore(lifetime);
        } else {
            walk::children(self, argument);
        }
    }

    /// Any lifetime not in a reference or a generic argument: `dyn Trait + '_`, `for<'a>`.
    fn visit_lifetime_mut(&mut self, lifetime: &mut Lifetime) {
        if self.naming != Naming::AsyncTraitCompatible {
            self.visit_named_or_underscore(lifetime);
        }
    }

    fn visit_type_fn_ptr_mut(&mut self, _: &mut TypeFnPtr) {
        // `fn(&u8)` has its own higher-ranked lifetimes.
    }

    fn visit_parenthesized_generic_arguments_mut(&mut self, _: &mut ParenthesizedGenericArguments) {
        // `impl Fn(&u8)`: the elided lifetime is higher-ranked, not the method's.
    }
}

/// Fills the elided lifetimes of an output type with the one elision picks.
struct FillElided(Lifetime);

impl Pass for FillElided {
    // An expression in a type (`[u8; N]`) holds nothing this looks for.
    fn visit_expr_mut(&mut self, _: &mut syn::Expr) {}

    fn visit_type_reference_mut(&mut self, reference: &mut TypeReference) {
        if reference.lifetime.is_none() {
            reference.lifetime = Some(self.0.clone());
        }
        walk::children(self, reference);
    }

    fn visit_lifetime_mut(&mut self, lifetime: &mut Lifetime) {
        if lifetime.ident == "_" {
            *lifetime = self.0.clone();
        }
    }

    fn visit_type_fn_ptr_mut(&mut self, _: &mut TypeFnPtr) {}

    fn visit_parenthesized_generic_arguments_mut(&mut self, _: &mut ParenthesizedGenericArguments) {
    }
}

/// Input: `x: impl AsRef<str>`, `y: &impl Display`
/// Output: `x: impl 'async_trait + AsRef<str>`, `y: &(impl 'async_trait + Display)`: an
/// `impl Trait` argument is a hidden type parameter, which the boxed future captures.
pub(crate) fn bound_impl_trait_arguments(ty: &mut Type, bound: &Lifetime) {
    BoundImplTrait { bound }.visit_type_mut(ty);
}

struct BoundImplTrait<'a> {
    bound: &'a Lifetime,
}

impl Pass for BoundImplTrait<'_> {
    fn visit_type_impl_trait_mut(&mut self, ty: &mut TypeImplTrait) {
        let mut bound = self.bound.clone();
        bound.apostrophe = ty.impl_token.span;
        ty.bounds.insert(0, TypeParamBound::Lifetime(bound));
        walk::children(self, ty);
    }

    fn visit_type_reference_mut(&mut self, ty: &mut TypeReference) {
        parenthesize_impl_trait(&mut ty.elem, ty.and_token.span);
        walk::children(self, ty);
    }

    fn visit_type_ptr_mut(&mut self, ty: &mut syn::TypePtr) {
        parenthesize_impl_trait(&mut ty.elem, ty.star_token.span);
        walk::children(self, ty);
    }

    fn visit_type_fn_ptr_mut(&mut self, ty: &mut TypeFnPtr) {
        if let ReturnType::Type(arrow, output) = &mut ty.output {
            parenthesize_impl_trait(output, arrow.spans[0]);
        }
        walk::children(self, ty);
    }

    fn visit_expr_mut(&mut self, _: &mut Expr) {
        // `[u8; { fn inner(_: impl Trait) {} 0 }]`: not ours.
    }
}

/// `&impl A + B` would parse as `(&impl A) + B` once a bound is added: parenthesize.
fn parenthesize_impl_trait(elem: &mut Type, span: Span) {
    if let Type::ImplTrait(_) = elem {
        let inner = std::mem::replace(elem, Type::Verbatim(proc_macro2::TokenStream::new()));
        *elem = Type::Paren(TypeParen {
            attrs: Vec::new(),
            paren_token: token::Paren(span),
            elem: Box::new(inner),
        });
    }
}

#[cfg(test)]
mod tests {
    use quote::{ToTokens, quote};
    use syn::{Signature, Type};

    use super::{Naming, OutputElision, elide_output_lifetimes, name_elided_input_lifetimes};

    fn names(lifetimes: &[syn::Lifetime]) -> Vec<String> {
        lifetimes.iter().map(ToString::to_string).collect()
    }

    fn text(tokens: impl ToTokens) -> String {
        tokens.into_token_stream().to_string()
    }

    #[test]
    fn async_trait_names_leave_bound_lifetimes_elided() {
        let mut sig: Signature = syn::parse_quote! {
            fn f(&self, x: &str, r: Ref<'_, u8>, y: &'a u8, d: Box<dyn Tr + '_>, g: fn(&u8))
        };
        let lifetimes = name_elided_input_lifetimes(&mut sig, Naming::AsyncTraitCompatible);
        assert_eq!(names(&lifetimes.elided), ["'life0", "'life1", "'life2"]);
        assert_eq!(names(&lifetimes.explicit), ["'a"]);
        let expected: Signature = syn::parse_quote! {
            fn f(&'life0 self, x: &'life1 str, r: Ref<'life2, u8>, y: &'a u8,
                 d: Box<dyn Tr + '_>, g: fn(&u8))
        };
        assert_eq!(text(&sig), text(&expected));
    }

    #[test]
    fn companion_names_every_elided_lifetime_once() {
        let mut sig: Signature = syn::parse_quote! {
            fn f(&self, x: &str, d: Box<dyn Tr + '_>, e: &'static str)
        };
        let lifetimes = name_elided_input_lifetimes(&mut sig, Naming::Companion);
        assert_eq!(
            names(&lifetimes.elided),
            ["'__life0", "'__life1", "'__life2"]
        );
        assert!(lifetimes.explicit.is_empty());
        assert_eq!(
            text(&sig),
            text(quote! {
                fn f(&'__life0 self, x: &'__life1 str, d: Box<dyn Tr + '__life2>, e: &'static str)
            })
        );
    }

    #[test]
    fn output_takes_the_receivers_lifetime_else_the_only_one() {
        let cases = [
            (quote!(fn f(&self, x: &str)), "& '__life0 str"),
            (
                quote!(fn f(self: Pin<&mut Self>, x: &str)),
                "& '__life0 str",
            ),
            // No lifetime in the receiver: the only input lifetime, counted once although
            // it is both named and visited.
            (quote!(fn f(self: Box<Self>, x: &str)), "& '__life0 str"),
            (quote!(fn f(self: Box<Self>, x: &'a str)), "& 'a str"),
            (quote!(fn f(self: Box<Self>, x: &str, y: &str)), "& str"),
            (quote!(fn f(self: Box<Self>)), "& str"),
        ];
        for (sig, expected) in cases {
            let mut sig: Signature = syn::parse2(sig).unwrap();
            let mut output: Type = syn::parse_quote!(&str);
            let lifetimes = name_elided_input_lifetimes(&mut sig, Naming::Companion);
            elide_output_lifetimes(&mut output, &lifetimes, OutputElision::ReceiverFirst);
            assert_eq!(text(&output), expected, "{}", text(&sig));
        }
    }

    #[test]
    fn stream_names_every_elided_lifetime_but_higher_ranked_ones() {
        let mut sig: Signature = syn::parse_quote! {
            fn f(&self, d: Box<dyn Tr + '_>, r: Ref<'_, u8>, g: fn(&u8), h: impl Fn(&u8))
        };
        let lifetimes = name_elided_input_lifetimes(&mut sig, Naming::Stream);
        assert_eq!(
            names(&lifetimes.elided),
            ["'__life0", "'__life1", "'__life2"]
        );
        assert_eq!(
            text(&sig),
            text(quote! {
                fn f(&'__life0 self, d: Box<dyn Tr + '__life1>, r: Ref<'__life2, u8>,
                     g: fn(&u8), h: impl Fn(&u8))
            })
        );
    }

    #[test]
    fn stream_output_takes_a_reference_receivers_lifetime_else_the_only_distinct_one() {
        let cases = [
            (quote!(fn f(&self, x: &str)), "& '__life0 str"),
            (quote!(fn f(&'static self, x: &str)), "& 'static str"),
            // Unlike the companion's rule: a typed receiver's lifetime is one input among
            // the others, and a lifetime named twice counts once.
            (quote!(fn f(self: Pin<&mut Self>, x: &str)), "& str"),
            (quote!(fn f(self: Pin<&mut Self>)), "& '__life0 str"),
            (quote!(fn f(x: &'a u8, y: &'a u8)), "& 'a str"),
            (quote!(fn f(x: &'a u8, y: &u8)), "& str"),
            (quote!(fn f(x: &'static u8, y: &u8)), "& '__life0 str"),
        ];
        for (sig, expected) in cases {
            let mut sig: Signature = syn::parse2(sig).unwrap();
            let mut output: Type = syn::parse_quote!(&str);
            let lifetimes = name_elided_input_lifetimes(&mut sig, Naming::Stream);
            elide_output_lifetimes(
                &mut output,
                &lifetimes,
                OutputElision::ReferenceReceiverFirst,
            );
            assert_eq!(text(&output), expected, "{}", text(&sig));
        }
    }
}
