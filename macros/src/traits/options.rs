//! The options of `#[async_trait_ext(…)]` on a trait or impl: `?Send`, the mode (`native`,
//! with its companion's name and its local variant's), `crate = path`.

use proc_macro2::{Span, TokenStream};
use syn::parse::{Parse, ParseStream};
use syn::{Ident, Visibility};

use crate::common::crate_path::CratePath;
use crate::common::errors::Errors;
use crate::common::options::Options;

/// The options of `#[async_trait_ext(…)]` on a trait or impl.
pub(crate) struct TraitOptions {
    /// `?Send`: futures need not be `Send`. Holds the span of `?Send`.
    pub(crate) relaxed_send: Option<Span>,
    pub(crate) mode: Mode,
    pub(crate) krate: CratePath,
}

/// Boxed futures (the default), or native mode with its companion: a companion's name
/// without native mode cannot be represented.
pub(crate) enum Mode {
    Boxed,
    Native(NativeOptions),
}

/// `native`, and what it says about the companion.
pub(crate) struct NativeOptions {
    /// The `native` token, where rustc's note on a missing `Send` points (the line where
    /// `?Send` would be written).
    pub(crate) native: Ident,
    /// `dyn = Name` / `dyn = none`.
    pub(crate) companion: CompanionName,
    /// `local = LocalName`: the same trait without `Send` on its futures, implemented for
    /// every implementor of this one.
    pub(crate) local: Option<Ident>,
}

/// The name of native mode's `Dyn` companion.
pub(crate) enum CompanionName {
    /// `Dyn` + the trait's name.
    Default,
    /// `dyn = Name` or `dyn = pub(crate) Name`: without a visibility, the trait's.
    Named(Option<Visibility>, Ident),
    /// `dyn = none`: no companion.
    Disabled,
}

/// The value of `dyn = …`: an optional visibility, then a name.
struct CompanionDecl {
    vis: Visibility,
    name: Ident,
}

impl Parse for CompanionDecl {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        Ok(CompanionDecl {
            vis: input.parse()?,
            name: input.parse()?,
        })
    }
}

/// What [`TraitOptions::parse`] found.
pub(crate) struct ParsedOptions {
    pub(crate) options: TraitOptions,
    /// The span of the value of a `dyn = …` given without `native`, where it means nothing
    /// (the caller says why, by the item it is on).
    pub(crate) stray_companion: Option<Span>,
    /// Every mistake among the options.
    pub(crate) error: Option<syn::Error>,
}

const ACCEPTED: &[&str] = &[
    "?Send",
    "native",
    "dyn = Name",
    "dyn = none",
    "dyn = pub(crate) Name",
    "local = LocalName",
    "crate = path",
];

impl TraitOptions {
    /// The options as given, and the error for any mistake among them. On a mistake the
    /// options that did parse still count and the rest take their defaults, so that the item
    /// is expanded anyway and its impls and callers add no errors of their own (a trait left
    /// unexpanded would give each boxed impl a lifetime mismatch, E0195).
    pub(crate) fn parse(args: TokenStream) -> ParsedOptions {
        let mut errors = Errors::default();
        let mut parsed = ParsedOptions {
            options: TraitOptions {
                relaxed_send: None,
                mode: Mode::Boxed,
                krate: CratePath::default(),
            },
            stray_companion: None,
            error: None,
        };
        let Some(mut options) = errors.push_result(Options::parse(args, "async_trait_ext")) else {
            parsed.error = errors.finish().err();
            return parsed;
        };
        // `take_relaxed` and `take_flag` fail only on an option given twice: it is given.
        let mut given_twice = |error: syn::Error| {
            let span = error.span();
            errors.push(error);
            span
        };
        parsed.options.relaxed_send = options
            .take_relaxed("Send")
            .unwrap_or_else(|error| Some(given_twice(error)));
        let native = options
            .take_flag("native")
            .unwrap_or_else(|error| Some(Ident::new("native", given_twice(error))));
        let companion = errors
            .push_result(options.take_parsed::<CompanionDecl>("dyn"))
            .flatten();
        let local = errors
            .push_result(options.take_parsed::<Ident>("local"))
            .flatten();
        let companion_name = |decl: CompanionDecl| match decl.vis {
            Visibility::Inherited if decl.name == "none" => CompanionName::Disabled,
            Visibility::Inherited => CompanionName::Named(None, decl.name),
            vis => CompanionName::Named(Some(vis), decl.name),
        };
        if let Some(native) = native {
            parsed.options.mode = Mode::Native(NativeOptions {
                native,
                companion: companion.map_or(CompanionName::Default, companion_name),
                local,
            });
        } else {
            parsed.stray_companion = companion.as_ref().map(|decl| decl.name.span());
            if let Some(local) = local {
                errors.push(syn::Error::new(
                    local.span(),
                    "`local = …` names the local variant of a native trait; write \
                     `#[async_trait_ext(native, local = …)]`, or remove `local = …`",
                ));
            }
        }
        if let Some(krate) = errors.push_result(options.take_crate_path()) {
            parsed.options.krate = krate;
        }
        errors.push_result(options.finish(ACCEPTED));
        parsed.error = errors.finish().err();
        parsed
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::{CompanionName, Mode, TraitOptions};

    fn companion(mode: &Mode) -> Option<&CompanionName> {
        match mode {
            Mode::Native(native) => Some(&native.companion),
            Mode::Boxed => None,
        }
    }

    #[test]
    fn a_bad_option_keeps_the_options_that_parsed() {
        let parsed = TraitOptions::parse(quote!(native, ?Send, dyn = Other, bogus));
        assert!(parsed.options.relaxed_send.is_some());
        assert!(matches!(
            companion(&parsed.options.mode),
            Some(CompanionName::Named(None, name)) if name == "Other"
        ));
        let error = parsed
            .error
            .map(|error| error.to_string())
            .unwrap_or_default();
        assert!(error.starts_with("unknown option `bogus`"), "{error}");
    }

    #[test]
    fn an_option_given_twice_is_given() {
        let parsed = TraitOptions::parse(quote!(native, native, ?Send, ?Send));
        assert!(matches!(parsed.options.mode, Mode::Native(_)));
        assert!(parsed.options.relaxed_send.is_some());
        let messages: Vec<String> = parsed
            .error
            .into_iter()
            .flat_map(|error| error.into_iter().map(|error| error.to_string()))
            .collect();
        assert_eq!(
            messages,
            [
                "option `Send` is given twice; remove one",
                "option `native` is given twice; remove one",
            ]
        );
    }

    #[test]
    fn a_bad_value_or_list_falls_back_to_the_defaults() {
        let parsed = TraitOptions::parse(quote!(native, dyn = 3));
        assert!(matches!(
            companion(&parsed.options.mode),
            Some(CompanionName::Default)
        ));
        assert!(parsed.error.is_some());
        let parsed = TraitOptions::parse(quote!(native, dyn =));
        assert!(matches!(parsed.options.mode, Mode::Boxed));
        assert!(parsed.error.is_some());
    }

    #[test]
    fn a_companion_takes_a_visibility_and_a_local_variant_a_name() {
        let parsed = TraitOptions::parse(quote!(native, dyn = pub(crate) DynShape, local = Local));
        assert!(parsed.error.is_none());
        let Mode::Native(native) = parsed.options.mode else {
            panic!("native mode expected");
        };
        assert!(matches!(
            native.companion,
            CompanionName::Named(Some(syn::Visibility::Restricted(_)), name) if name == "DynShape"
        ));
        assert!(native.local.is_some_and(|local| local == "Local"));
        let stray = TraitOptions::parse(quote!(local = Local));
        assert!(
            stray
                .error
                .is_some_and(|error| error.to_string().contains("native, local"))
        );
    }

    #[test]
    fn a_companion_name_without_native_is_kept_aside() {
        let parsed = TraitOptions::parse(quote!(dyn = Other));
        assert!(matches!(parsed.options.mode, Mode::Boxed));
        assert!(parsed.stray_companion.is_some());
        assert!(parsed.error.is_none());
    }
}
