//! Code generation for `async_closure!`: reads the parsed model only.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::{Expr, Ident, Index};

use super::holes::{check_output, hole_type};
use super::parse::ClosureInput;
use super::places::rewrite_body;
use crate::common::async_body::argument_lints;
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
//             struct n<T> { value: T }           // one wrapper per capture, named after it
//             struct p<T> { value: T }
//             let n = 0u32;                      // the capture block, in order, evaluated once
//             let p = x.clone();
//             PRIVATE::a1::closure_mut::<dyn for<..> PRIVATE::ArgType<.., Of = u32>, _, _, _, _>(
//                 (n { value: n }, p { value: p },),
//                 async |__s: &mut _, __a0: u32| -> String {
//                     let (n, p,) = (&mut __s.0.value, &__s.1.value,);
//                     let step = __a0;
//                     BODY                       // its statements, in its braces; `n` as `*n`
//                 },
//                 async |(mut __s, __body): (_, _), __a0: u32| -> String {
//                     __body(&mut __s, __a0).await
//                 },
//             )
//         }
// The second closure, a trampoline, owns the state and awaits the body on it: an unboxed
// `call_once`. With `once`, there is only a by-value body, binding the captures as plain
// locals: `let (n { value: mut n }, …,) = __s;`.
// Arguments are bound after the captures, so an argument shadows a capture of its name.
pub(crate) fn expand(input: ClosureInput, krate: &CratePath) -> syn::Result<TokenStream> {
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
    let generator = Generator {
        kind,
        hidden,
        private: krate.private(),
        state: Ident::new("__async_ext_state", hidden),
        value: Ident::new("value", hidden),
        wrappers: input
            .captures
            .iter()
            .map(|capture| {
                let mut wrapper = capture.name.clone();
                wrapper.set_span(Span::mixed_site().located_at(capture.name.span()));
                wrapper
            })
            .collect(),
        input: &input,
    };
    let captures = generator.capture_block();
    let call = generator.funnel_call()?;
    Ok(quote_spanned! {hidden=>
        {
            #captures
            #call
        }
    })
}

struct Generator<'a> {
    input: &'a ClosureInput,
    kind: Kind,
    /// Mixed-site hygiene, located at the user's `async`.
    hidden: Span,
    private: TokenStream,
    /// The body closures' state parameter.
    state: Ident,
    /// The field of each capture's wrapper.
    value: Ident,
    /// One wrapper type per capture: the capture's name, located at it.
    wrappers: Vec<Ident>,
}

impl Generator<'_> {
    // The wrappers make rustc's notes ("required because it appears within the type
    // `shared<Rc<u32>>`") point at the capture a `Send` bound rejects, and closure types read
    // `AsyncClosureMut<(n<u32>, …), …>`. Braced, so that the name stays out of the value
    // namespace the capture lives in.
    fn capture_block(&self) -> TokenStream {
        let hidden = self.hidden;
        let value = &self.value;
        let wrappers = self.wrappers.iter().map(|wrapper| {
            // `Clone`/`Copy` when the value is, so the closure is, as a native one would be.
            quote_spanned! {hidden=>
                #[allow(non_camel_case_types)]
                #[derive(::core::clone::Clone, ::core::marker::Copy)]
                struct #wrapper<T> { #value: T }
            }
        });
        let lets = self.input.captures.iter().map(|capture| {
            let let_token = capture.let_token;
            let name = &capture_binding(&capture.name);
            let ty = capture.ty.as_ref().map(|(colon, ty)| quote!(#colon #ty));
            let eq = capture.eq_token;
            let expr = &capture.expr;
            let semi = capture.semi_token;
            // `let name = name;` moves an outer variable in: not redundant here.
            quote_spanned! {hidden=>
                #[allow(clippy::redundant_locals)]
                #let_token #name #ty #eq #expr #semi
            }
        });
        quote!(#(#wrappers)* #(#lets)*)
    }

    fn state_value(&self) -> TokenStream {
        let value = &self.value;
        let wrappers = &self.wrappers;
        let names = self
            .input
            .captures
            .iter()
            .map(|capture| capture_binding(&capture.name));
        quote_spanned!(self.hidden=> (#(#wrappers { #value: #names },)*))
    }

    /// The hidden names of the arguments: `__a0`, `__a1`, …
    fn argument_names(&self) -> Vec<Ident> {
        (0..self.input.args.len())
            .map(|index| Ident::new(&format!("__async_ext_arg{index}"), self.hidden))
            .collect()
    }

    /// The hidden parameters after the state (`, __a0: u32, …`) and the `let`s that bind the
    /// user's argument patterns to them.
    fn arguments(&self) -> (TokenStream, TokenStream) {
        let hidden = self.hidden;
        let mut params = Vec::new();
        let mut lets = Vec::new();
        for (arg, name) in self.input.args.iter().zip(self.argument_names()) {
            let colon = arg.colon_token;
            let ty = &arg.ty;
            let pat = &arg.pat;
            params.push(quote!(, #name #colon #ty));
            let lints = argument_lints();
            lets.push(quote_spanned!(hidden=> #[allow(#lints)] let #pat = #name;));
        }
        (quote!(#(#params)*), quote!(#(#lets)*))
    }

    fn funnel_call(&self) -> syn::Result<TokenStream> {
        let hidden = self.hidden;
        let private = &self.private;
        let input = self.input;
        let module = format_ident!("a{}", input.args.len(), span = hidden);
        if let syn::ReturnType::Type(_, ty) = &input.output {
            check_output(ty)?;
        }
        let mut holes = Vec::with_capacity(input.args.len());
        for arg in &input.args {
            holes.push(hole_type(&arg.ty, private)?);
        }
        let state = &self.state;
        let state_value = self.state_value();
        let (params, arg_lets) = self.arguments();
        let async_token = input.async_token;
        let (or1, or2) = (input.or1, input.or2);
        let output = &input.output;

        if self.kind == Kind::Once {
            let bind = self.bind_owned();
            let body = self.body_block(&quote!(#bind #arg_lets), &input.body);
            return Ok(quote_spanned! {hidden=>
                #private::#module::closure_once::<#(#holes,)* _, _, _>(
                    #state_value,
                    #async_token #or1 #state: _ #params #or2 #output #body,
                )
            });
        }

        let body = self.rewritten_body()?;
        let bind = self.bind_borrowed();
        let body = self.body_block(&quote!(#bind #arg_lets), &body);
        let (funnel, by_ref, borrow, owned) = if self.kind == Kind::Mut {
            (
                quote_spanned!(hidden=> closure_mut),
                quote_spanned!(hidden=> #state: &mut _),
                quote_spanned!(hidden=> &mut #state),
                quote_spanned!(hidden=> mut #state),
            )
        } else {
            (
                quote_spanned!(hidden=> closure),
                quote_spanned!(hidden=> #state: &_),
                quote_spanned!(hidden=> &#state),
                quote_spanned!(hidden=> #state),
            )
        };
        // The trampoline owns the state and awaits the body on it: `call_once` without a box,
        // and the user's body appears (and is type-checked) once.
        let body_fn = Ident::new("__async_ext_body", hidden);
        let forwarded = self.argument_names();
        Ok(quote_spanned! {hidden=>
            #private::#module::#funnel::<#(#holes,)* _, _, _, _>(
                #state_value,
                #async_token #or1 #by_ref #params #or2 #output #body,
                #async_token #or1 (#owned, #body_fn): (_, _) #params #or2 #output {
                    #body_fn(#borrow #(, #forwarded)*).await
                },
            )
        })
    }

    // Input:  `{ x + 1 }` (a block) or `x + 1`, and the bindings of captures and arguments
    // Output: `{ BINDINGS x + 1 }`, in the user's braces, or `{ BINDINGS x + 1 }`
    // A block body is not nested in another block: `{ BINDINGS { x + 1 } }` would make rustc
    // flag the user's braces as `unused_braces`. Its statements follow the bindings inside
    // the user's own braces, so spans (and errors about the block's value) stay the user's.
    // A labelled block or one with attributes stays whole, as an expression.
    fn body_block(&self, prelude: &TokenStream, body: &Expr) -> TokenStream {
        match body {
            Expr::Block(block) if block.attrs.is_empty() && block.label.is_none() => {
                let mut out = TokenStream::new();
                block.block.brace_token.surround(&mut out, |out| {
                    prelude.to_tokens(out);
                    for stmt in &block.block.stmts {
                        stmt.to_tokens(out);
                    }
                });
                out
            }
            other => quote_spanned!(self.hidden=> { #prelude #other }),
        }
    }

    /// The body with each capture used as a place (`n` becomes `*n`).
    fn rewritten_body(&self) -> syn::Result<syn::Expr> {
        let mut body = self.input.body.clone();
        let arg_pats: Vec<&syn::Pat> = self.input.args.iter().map(|arg| &arg.pat).collect();
        let captures: Vec<(Ident, bool)> = self
            .input
            .captures
            .iter()
            .map(|capture| {
                let mutable = self.kind == Kind::Mut && capture.mutability.is_some();
                (capture.name.clone(), mutable)
            })
            .collect();
        rewrite_body(&mut body, &captures, &arg_pats)?;
        Ok(body)
    }

    /// `let (n, p,) = (&mut __s.0.value, &__s.1.value,);` for the two borrowing bodies.
    fn bind_borrowed(&self) -> TokenStream {
        if self.input.captures.is_empty() {
            return TokenStream::new();
        }
        let hidden = self.hidden;
        let state = &self.state;
        let value = &self.value;
        let names = self.input.captures.iter().map(|capture| &capture.name);
        let borrows = self
            .input
            .captures
            .iter()
            .enumerate()
            .map(|(index, capture)| {
                let index = Index {
                    index: u32::try_from(index).unwrap_or(u32::MAX),
                    span: hidden,
                };
                let mutability = if self.kind == Kind::Mut {
                    capture.mutability
                } else {
                    None
                };
                quote_spanned!(hidden=> &#mutability #state.#index.#value)
            });
        quote_spanned!(hidden=> let (#(#names,)*) = (#(#borrows,)*);)
    }

    /// `let (n { value: mut n }, p { value: p },) = __s;` for a `once` body.
    fn bind_owned(&self) -> TokenStream {
        if self.input.captures.is_empty() {
            return TokenStream::new();
        }
        let hidden = self.hidden;
        let state = &self.state;
        let value = &self.value;
        let pats = self
            .input
            .captures
            .iter()
            .zip(&self.wrappers)
            .map(|(capture, wrapper)| {
                let mutability = capture.mutability;
                let name = &capture.name;
                quote_spanned!(hidden=> #wrapper { #value: #mutability #name })
            });
        quote_spanned!(hidden=> let (#(#pats,)*) = #state;)
    }
}

/// The name a capture is bound to in the capture block. A capture named `_guard` says it is
/// kept only for its `Drop`; moving it into the state under that name would be a "use" that
/// `clippy::used_underscore_binding` rejects in the user's crate, so it is bound under a
/// hidden name instead (the body still sees `_guard`). A later capture therefore cannot read
/// an `_`-named one.
fn capture_binding(name: &Ident) -> Ident {
    if name.to_string().starts_with('_') {
        Ident::new(
            &format!("__async_ext_capture{name}"),
            Span::mixed_site().located_at(name.span()),
        )
    } else {
        name.clone()
    }
}
