//! `async_closure!`: lending async closures over a capture block.
//!
//! `parse` builds the model from the user's tokens (and reports malformed captures and
//! arguments), `places` rewrites captured names in the body, `holes` turns argument types into
//! types with lifetime holes, `expand` writes the call to the runtime's funnel.

mod expand;
mod holes;
mod parse;
mod places;

use proc_macro2::TokenStream;
use quote::quote;

use crate::common::crate_path::split_dollar_crate;
use crate::common::errors::error_with_fallback;
use crate::common::for_await;

/// `async_closure_inner!(($crate) tokens…)`: the whole macro.
// Input:  `($crate) [once] [{ captures }] async |ARGS| [-> RET] BODY`
// Output: the closure (see `expand`); on an error, `compile_error!` and a stand-in closure
//         whose output is the declared `RET` (so code using the closure adds no errors); an
//         `async move` is reported and then expanded as `async`, the closure it meant.
pub(crate) fn expand(input: TokenStream) -> TokenStream {
    let (krate, tokens) = split_dollar_crate(input);
    let private = krate.private();
    let fallback = |output: TokenStream| quote!(#private::ErrorClosure::<#output>::new());
    let infallible = quote!(::core::convert::Infallible);
    let mut closure = match syn::parse2::<parse::ClosureInput>(tokens) {
        Ok(closure) => closure,
        Err(error) => {
            let out = error_with_fallback(&error, fallback(infallible));
            return quote!({ #out });
        }
    };
    // `#[for_await]` loops in the body, with or without an attribute on the enclosing fn.
    let recovered = match (
        closure.recovered.take(),
        for_await::rewrite(&mut closure.body, &krate),
    ) {
        (recovered, Ok(())) => recovered,
        (None, Err(error)) => Some(error),
        (Some(mut first), Err(error)) => {
            first.combine(error);
            Some(first)
        }
    };
    let output = match &closure.output {
        syn::ReturnType::Type(_, ty) if holes::check_output(ty).is_ok() => quote!(#ty),
        _ => infallible,
    };
    let error = match (recovered, expand::expand(closure, &krate)) {
        (None, Ok(tokens)) => return tokens,
        (Some(error), Ok(tokens)) => {
            let out = error_with_fallback(&error, tokens);
            return quote!({ #out });
        }
        (None, Err(error)) => error,
        (Some(mut first), Err(error)) => {
            first.combine(error);
            first
        }
    };
    let out = error_with_fallback(&error, fallback(output));
    quote!({ #out })
}

#[cfg(test)]
mod tests {
    use proc_macro2::TokenStream;

    fn expand_str(source: &str) -> String {
        let tokens: TokenStream = source.parse().unwrap_or_default();
        super::expand(tokens).to_string()
    }

    #[test]
    fn malformed_inputs_give_errors_not_panics() {
        let inputs = [
            "",
            "($crate)",
            "($crate) once",
            "($crate) {}",
            "($crate) { let } async || 1",
            "($crate) { let x } async || 1",
            "($crate) { let x = } async || 1",
            "($crate) { let x = 1 } async || 1",
            "($crate) { let x = 1; let x = 2; } async || 1",
            "($crate) { let (a, b) = (1, 2); } async || 1",
            "($crate) { let ref a = 1; } async || 1",
            "($crate) { let a @ _ = 1; } async || 1",
            "($crate) { let _ = 1; } async || 1",
            "($crate) { let x = 1 else { return }; } async || 1",
            "($crate) { x = 1; } async || 1",
            "($crate) async move || 1",
            "($crate) async |x| x",
            "($crate) async |x: | x",
            "($crate) async |x: u8 y: u8| x",
            "($crate) async |x: u8,",
            "($crate) async |x: u8| -> ",
            "($crate) async |x: u8| x extra tokens",
            "($crate) async |x: &'_ &'_ &'_ &'_ &'_ u8| x",
            "($crate) async |a: u8, b: u8, c: u8, d: u8, e: u8, f: u8, g: u8, h: u8, i: u8, j: u8, k: u8, l: u8, m: u8| a",
            "($crate) |x: u8| x",
            "($crate) once once async || 1",
            "($crate) { let x = 1; } { let y = 2; } async || 1",
            "($crate) { let self = 1; } async || 1",
            "($crate) { let Self = 1; } async || 1",
            "($crate) { #[cfg(all())] let x = 1; } async || 1",
            "() async || 1",
            "($crate) async |s: &str| -> &str { s }",
            "($crate) async || -> Option<&'_ u8> { None }",
            "($crate) once async || -> Vec<&str> { Vec::new() }",
            "(::async_ext) { let n = 1; } async || { n = 2; &mut n }",
            "($crate) { let n = 1; } async || async_closure!({ let m = 1; } async || { n = m; })",
        ];
        for input in inputs {
            let output = expand_str(input);
            assert!(
                output.contains("compile_error"),
                "no error for {input:?}: {output}"
            );
        }
    }

    #[test]
    fn valid_inputs_expand_without_errors() {
        let inputs = [
            "($crate) async || 1",
            "($crate) once async || 1",
            "($crate) { let mut n = 0u32; let p: String = String::new(); } async |x: u32, s: &str| -> u32 { n += x; n }",
            "($crate) { let r#type = 1; } async |r#fn: u8| r#type + r#fn",
            "($crate) async |(a, b): (u8, u8), mut c: &mut Vec<&str>| { c.push(\"x\"); a + b }",
            "($crate) once { let v = vec![1]; } async |x: fn(&str) -> &str| v",
            "($crate) async || -> fn(&str) -> &str { |s| s }",
            "($crate) async || -> &'static str { \"s\" }",
            "($crate) { let n = 1; } async || async_closure!({ let n = n; } async |m: u8| { n + m })",
            "($crate) { let n = 1; } async || async_closure!(async move || n)",
            "($crate) async || -> Box<dyn Fn(&str) -> &str> { Box::new(|s| s) }",
        ];
        for input in inputs {
            let output = expand_str(input);
            assert!(
                !output.contains("compile_error"),
                "error for {input:?}: {output}"
            );
        }
    }
}
