//! Code generation for `async_closure!`: reads the parsed model only.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::{Ident, Index};

use super::holes::hole_type;
use super::parse::ClosureInput;
use super::places::rewrite_body;
use crate::common::crate_path::CratePath;

/// Which funnel (and so which closure type) the call builds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// No `let mut` capture: `AsyncFn`.
    Shared,
    /// Some `let mut` capture: `AsyncFnMut`.
    Mut,
    /// `once`: `AsyncFnOnce` only.
    Once,
}

// Input:  async_closure!({ let mut n = 0u32; let p = x.clone(); } async |step: u32| -> String { BODY })
// Output: {
//             let n = 0u32;                      // the capture block, in order, evaluated once
//             let p = x.clone();
//             PRIVATE::a1::closure_mut::<dyn for<..> PRIVATE::ArgType<.., Of = u32>, _, _, _, _>(
//                 (n, p,),
//                 async |__s: &mut _, __a0: u32| -> String {
//                     let (n, p,) = (&mut __s.0, &__s.1,);
//                     let step = __a0;
//                     BODY                       // with `n` used as `*n`
//                 },
//                 async |mut __s: _, __a0: u32| -> String { ..the same body.. },
//             )
//         }
// The second body owns the state, for an unboxed `call_once`; both bodies are the same
// tokens, so rustc reports an error in the body once. With `once`, only a by-value body is
// made, binding the captures as plain locals: `let (mut n, p,) = __s;`.
pub(crate) fn expand(input: ClosureInput, krate: &CratePath) -> syn::Result<TokenStream> {
    let private = krate.private();
    let kind = if input.once.is_some() {
        Kind::Once
    } else if input.is_mut() {
        Kind::Mut
    } else {
        Kind::Shared
    };
    // Generated tokens resolve at the macro's definition site but are located at the user's
    // `async`, so rustc names the closures after the user's code.
    let hidden = Span::mixed_site().located_at(input.async_token.span);
    let state = Ident::new("__async_ext_state", hidden);
    let module = format_ident!("a{}", input.args.len());
    let mut holes = Vec::with_capacity(input.args.len());
    for arg in &input.args {
        holes.push(hole_type(&arg.ty, &private)?);
    }

    let capture_lets = input.captures.iter().map(|capture| {
        let let_token = capture.let_token;
        let name = &capture.name;
        let ty = capture.ty.as_ref().map(|(colon, ty)| quote!(#colon #ty));
        let eq = capture.eq_token;
        let expr = &capture.expr;
        let semi = capture.semi_token;
        // `let name = name;` moves an outer variable in: not redundant here.
        quote_spanned!(hidden=> #[allow(clippy::redundant_locals)] #let_token #name #ty #eq #expr #semi)
    });
    let names: Vec<&Ident> = input.captures.iter().map(|c| &c.name).collect();

    let arg_names: Vec<Ident> = (0..input.args.len())
        .map(|index| Ident::new(&format!("__async_ext_arg{index}"), hidden))
        .collect();
    let params = input.args.iter().zip(&arg_names).map(|(arg, name)| {
        let colon = arg.colon_token;
        let ty = &arg.ty;
        quote!(#name #colon #ty)
    });
    let params = quote!(#(#params),*);
    let arg_lets = input.args.iter().zip(&arg_names).map(|(arg, name)| {
        let pat = &arg.pat;
        quote_spanned!(hidden=> let #pat = #name;)
    });
    let arg_lets = quote!(#(#arg_lets)*);

    let async_token = input.async_token;
    let or1 = input.or1;
    let or2 = input.or2;
    let output = &input.output;

    let expansion = if kind == Kind::Once {
        let body = &input.body;
        let bind = if input.captures.is_empty() {
            TokenStream::new()
        } else {
            let pats = input.captures.iter().map(|capture| {
                let mutability = capture.mutability;
                let name = &capture.name;
                quote!(#mutability #name)
            });
            quote_spanned!(hidden=> let (#(#pats,)*) = #state;)
        };
        quote_spanned! {hidden=>
            #private::#module::closure_once::<#(#holes,)* _, _, _>(
                (#(#names,)*),
                #async_token #or1 #state: _, #params #or2 #output {
                    #bind
                    #arg_lets
                    #body
                },
            )
        }
    } else {
        let mut body = input.body.clone();
        let arg_pats: Vec<&syn::Pat> = input.args.iter().map(|arg| &arg.pat).collect();
        let capture_names: Vec<(Ident, bool)> = input
            .captures
            .iter()
            .map(|capture| {
                let mutable = kind == Kind::Mut && capture.mutability.is_some();
                (capture.name.clone(), mutable)
            })
            .collect();
        rewrite_body(&mut body, &capture_names, &arg_pats);
        let borrows = input.captures.iter().enumerate().map(|(index, capture)| {
            let index = Index {
                index: u32::try_from(index).unwrap_or(u32::MAX),
                span: hidden,
            };
            let mutability = (kind == Kind::Mut).then_some(capture.mutability).flatten();
            quote_spanned!(hidden=> &#mutability #state.#index)
        });
        let bind = if input.captures.is_empty() {
            TokenStream::new()
        } else {
            quote_spanned!(hidden=> let (#(#names,)*) = (#(#borrows,)*);)
        };
        let (funnel, by_ref, by_value) = if kind == Kind::Mut {
            (
                quote_spanned!(hidden=> closure_mut),
                quote_spanned!(hidden=> #state: &mut _),
                quote_spanned!(hidden=> mut #state: _),
            )
        } else {
            (
                quote_spanned!(hidden=> closure),
                quote_spanned!(hidden=> #state: &_),
                quote_spanned!(hidden=> #state: _),
            )
        };
        let inner = quote_spanned! {hidden=>
            #bind
            #arg_lets
            #body
        };
        quote_spanned! {hidden=>
            #private::#module::#funnel::<#(#holes,)* _, _, _, _>(
                (#(#names,)*),
                #async_token #or1 #by_ref, #params #or2 #output { #inner },
                #async_token #or1 #by_value, #params #or2 #output { #inner },
            )
        }
    };
    Ok(quote_spanned! {hidden=>
        {
            #(#capture_lets)*
            #expansion
        }
    })
}
