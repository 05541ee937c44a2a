//! Parsing attribute arguments shared by every attribute macro:
//! `#[attr(?Send, native, dyn = DynStore, crate = ::async_ext, item = u32)]`.
//!
//! Parsing only splits the list into entries that keep the user's tokens; each macro then
//! takes the entries it knows with [`Options::take_flag`] / [`Options::take_value`] and calls
//! [`Options::finish`], which reports every entry nobody took as unknown, naming the options
//! that macro accepts.

use proc_macro2::{Span, TokenStream, TokenTree};
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream, Parser};
use syn::spanned::Spanned;
use syn::{Ident, Token};

use super::crate_path::CratePath;

/// One entry of an attribute's argument list.
pub(crate) enum OptionEntry {
    /// `native`, `boxed`
    Flag(Ident),
    /// `?Send`: the span covers the `?` and the name.
    Relaxed { question: Token![?], name: Ident },
    /// `key = value…` up to the next top-level comma.
    Value { key: Ident, value: TokenStream },
}

impl OptionEntry {
    fn span(&self) -> Span {
        match self {
            OptionEntry::Flag(name) => name.span(),
            OptionEntry::Relaxed { question, name } => question
                .span
                .join(name.span())
                .unwrap_or_else(|| name.span()),
            OptionEntry::Value { key, .. } => key.span(),
        }
    }

    fn describe(&self) -> String {
        match self {
            OptionEntry::Flag(name) => format!("`{name}`"),
            OptionEntry::Relaxed { name, .. } => format!("`?{name}`"),
            OptionEntry::Value { key, .. } => format!("`{key} = …`"),
        }
    }
}

impl Parse for OptionEntry {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        if input.peek(Token![?]) {
            let question: Token![?] = input.parse()?;
            let name = Ident::parse_any(input)?;
            return Ok(OptionEntry::Relaxed { question, name });
        }
        let lookahead = input.lookahead1();
        if !(lookahead.peek(Ident::peek_any)) {
            return Err(lookahead.error());
        }
        let key = Ident::parse_any(input)?;
        if !input.peek(Token![=]) {
            return Ok(OptionEntry::Flag(key));
        }
        let eq: Token![=] = input.parse()?;
        let mut value = TokenStream::new();
        while !input.is_empty() && !input.peek(Token![,]) {
            value.extend([input.parse::<TokenTree>()?]);
        }
        if value.is_empty() {
            return Err(syn::Error::new(
                eq.span,
                format!("expected a value after `{key} =`"),
            ));
        }
        Ok(OptionEntry::Value { key, value })
    }
}

/// The parsed argument list of one attribute, consumed entry by entry.
pub(crate) struct Options {
    entries: Vec<Option<OptionEntry>>,
    /// Shown in errors: `#[async_trait_ext]`.
    attribute: &'static str,
}

impl Options {
    pub(crate) fn parse(args: TokenStream, attribute: &'static str) -> syn::Result<Self> {
        let parser = syn::punctuated::Punctuated::<OptionEntry, Token![,]>::parse_terminated;
        let entries = parser
            .parse2(args)
            .map_err(|error| {
                syn::Error::new(
                    error.span(),
                    format!("{error} in the options of `#[{attribute}]`"),
                )
            })?
            .into_iter()
            .map(Some)
            .collect();
        Ok(Options { entries, attribute })
    }

    /// Takes the bare flag `name` (`native`), erroring if it is given twice.
    pub(crate) fn take_flag(&mut self, name: &str) -> syn::Result<Option<Ident>> {
        self.take_one(name, |entry| match entry {
            OptionEntry::Flag(ident) if ident == name => Ok(ident),
            other => Err(other),
        })
    }

    /// Takes `?name` (`?Send`), erroring if it is given twice. A lower-case or otherwise
    /// misspelled `?send` is left for [`Options::finish`], which suggests the right spelling.
    pub(crate) fn take_relaxed(&mut self, name: &str) -> syn::Result<Option<Span>> {
        self.take_one(name, |entry| match entry {
            OptionEntry::Relaxed {
                question,
                name: ident,
            } if ident == name => Ok(question
                .span
                .join(ident.span())
                .unwrap_or_else(|| ident.span())),
            other => Err(other),
        })
    }

    /// Takes `name = value`, erroring if it is given twice.
    pub(crate) fn take_value(&mut self, name: &str) -> syn::Result<Option<(Ident, TokenStream)>> {
        self.take_one(name, |entry| match entry {
            OptionEntry::Value { key, value } if key == name => Ok((key, value)),
            other => Err(other),
        })
    }

    /// Takes `name = value` and parses the value as `T`.
    pub(crate) fn take_parsed<T: Parse>(&mut self, name: &str) -> syn::Result<Option<T>> {
        let Some((key, value)) = self.take_value(name)? else {
            return Ok(None);
        };
        syn::parse2::<T>(value.clone()).map(Some).map_err(|error| {
            let span = if value.is_empty() {
                key.span()
            } else {
                value.span()
            };
            syn::Error::new(span, format!("invalid value for `{key}`: {error}"))
        })
    }

    /// Takes `crate = path`, the renamed-dependency escape hatch every attribute accepts.
    pub(crate) fn take_crate_path(&mut self) -> syn::Result<CratePath> {
        Ok(self
            .take_parsed::<syn::Path>("crate")?
            .map(|path| CratePath::from_tokens(quote::ToTokens::into_token_stream(path)))
            .unwrap_or_default())
    }

    /// Reports every entry no `take_*` call claimed, naming what the attribute accepts.
    pub(crate) fn finish(self, accepted: &[&str]) -> syn::Result<()> {
        let mut errors = super::errors::Errors::default();
        for entry in self.entries.into_iter().flatten() {
            let message = match &entry {
                OptionEntry::Relaxed { name, .. }
                    if name != "Send" && name.to_string().eq_ignore_ascii_case("send") =>
                {
                    format!(
                        "unknown option {} for `#[{}]`; did you mean `?Send`?",
                        entry.describe(),
                        self.attribute,
                    )
                }
                _ => format!(
                    "unknown option {} for `#[{}]`; expected {}",
                    entry.describe(),
                    self.attribute,
                    one_of(accepted),
                ),
            };
            errors.push(syn::Error::new(entry.span(), message));
        }
        errors.finish()
    }

    fn take_one<T>(
        &mut self,
        name: &str,
        mut matches: impl FnMut(OptionEntry) -> Result<T, OptionEntry>,
    ) -> syn::Result<Option<T>> {
        let mut found = None;
        for slot in &mut self.entries {
            let Some(entry) = slot.take() else { continue };
            let span = entry.span();
            match matches(entry) {
                Ok(value) if found.is_none() => found = Some(value),
                Ok(_) => {
                    return Err(syn::Error::new(
                        span,
                        format!("option `{name}` is given twice; remove one"),
                    ));
                }
                Err(entry) => *slot = Some(entry),
            }
        }
        Ok(found)
    }
}

/// Renders `a`, `a or b`, `one of a, b, c` from option spellings such as "`?Send`".
fn one_of(accepted: &[&str]) -> String {
    match accepted {
        [] => "no options".to_owned(),
        [only] => format!("`{only}`"),
        [first, second] => format!("`{first}` or `{second}`"),
        all => {
            let listed: Vec<String> = all.iter().map(|a| format!("`{a}`")).collect();
            format!("one of {}", listed.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn takes_known_options_and_reports_the_rest() {
        let mut options = Options::parse(
            quote!(?Send, native, dyn = DynStore, crate = ::x::y, bogus),
            "t",
        )
        .unwrap();
        assert!(options.take_relaxed("Send").unwrap().is_some());
        assert!(options.take_flag("native").unwrap().is_some());
        let (_, value) = options.take_value("dyn").unwrap().unwrap();
        assert_eq!(value.to_string(), "DynStore");
        let path = options.take_crate_path().unwrap();
        assert_eq!(quote!(#path).to_string(), ":: x :: y");
        let error = options.finish(&["?Send", "native"]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown option `bogus` for `#[t]`; expected `?Send` or `native`"
        );
    }

    #[test]
    fn rejects_duplicates_and_empty_values() {
        let mut options = Options::parse(quote!(native, native), "t").unwrap();
        let error = options.take_flag("native").err().unwrap();
        assert_eq!(
            error.to_string(),
            "option `native` is given twice; remove one"
        );
        let error = Options::parse(quote!(dyn =), "t").err().unwrap();
        assert_eq!(
            error.to_string(),
            "expected a value after `dyn =` in the options of `#[t]`"
        );
    }

    #[test]
    fn suggests_the_spelling_of_send() {
        let options = Options::parse(quote!(?send), "t").unwrap();
        let error = options.finish(&["?Send"]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown option `?send` for `#[t]`; did you mean `?Send`?"
        );
    }
}
