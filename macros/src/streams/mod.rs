//! Async generators: `stream!`, `try_stream!`, `#[async_stream]`, `#[async_try_stream]`.
//!
//! `macro_form` handles the function-like macros, `attribute` the attribute forms; both
//! rewrite the body with `body::BodyRewriter` after the shared `for await` rewriter ran, and
//! build the stream with `__private::stream_new` / `try_stream_new` (runtime:
//! `support/src/streams/generator.rs`).

mod attribute;
mod body;
mod macro_form;

use proc_macro2::TokenStream;

/// Whether `?` in the body ends the stream with an `Err` item.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    Plain,
    Try,
}

/// `stream_inner!(($crate) BODY)` / `try_stream_inner!(($crate) BODY)`.
pub(crate) fn expand_stream_macro(input: TokenStream, flavor: Flavor) -> TokenStream {
    macro_form::expand(input, flavor)
}

/// `#[async_stream(…)]` / `#[async_try_stream(…)]` on an `async fn`.
pub(crate) fn expand_stream_fn(
    args: TokenStream,
    input: TokenStream,
    flavor: Flavor,
) -> TokenStream {
    attribute::expand(args, input, flavor)
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    /// Broken and odd inputs give an expansion or a `compile_error!`, never a panic.
    #[test]
    fn odd_inputs_never_panic() {
        let bodies = [
            quote!(),
            quote!(($crate)),
            quote!((::async_ext) <),
            quote!((::async_ext) < u32),
            quote!((::async_ext) <u32>),
            quote!((::async_ext) < u32, u8, i8 > {}),
            quote!((::async_ext) <> {}),
            quote!((::async_ext) <T as Trait>::f();),
            quote!((::async_ext) yield),
            quote!((::async_ext) yield;),
            quote!((::async_ext) yield_!();),
            quote!((::async_ext) yield_!(,);),
            quote!((::async_ext) yield_!(a b);),
            quote!((::async_ext) for await),
            quote!((::async_ext) for await x in {}),
            quote!((::async_ext) 'a: for await x in s {}),
            quote!((::async_ext) 'a: ),
            quote!((::async_ext) x?),
            quote!((::async_ext) return;),
            quote!((::async_ext) |x| yield x;),
            quote!((::async_ext) fn f() { yield 1; }),
            quote!((::async_ext) async { yield 1 };),
            quote!((::async_ext) { yield 1; }),
        ];
        for body in bodies {
            for flavor in [Flavor::Plain, Flavor::Try] {
                let _ = expand_stream_macro(body.clone(), flavor);
            }
        }
        let args = [
            quote!(),
            quote!(item),
            quote!(item =),
            quote!(item = ),
            quote!(item = u32, item = u8),
            quote!(item = u32, boxed, boxed_local),
            quote!(ok = u32),
            quote!(ok = u32, error = E, boxed),
            quote!(item = dyn A + Send, crate = ::x),
            quote!(item = u32, crate = 1),
            quote!(?Send),
            quote!(,,),
        ];
        let items = [
            quote!(),
            quote!(
                struct S;
            ),
            quote!(
                fn f() {}
            ),
            quote!(
                async fn f(&self, _: u8, (a, b): (u8, u8), x: &str, y: impl Fn(&u8)) {
                    yield_!(1);
                }
            ),
            quote!(
                async fn f<'a, T: Clone>(self: Box<Self>, x: Ref<'_, T>)
                where
                    T: 'a;
            ),
            quote!(
                async fn f() -> u32 {
                    1
                }
            ),
            quote!(
                async fn f() {
                    yield 1;
                }
            ),
            quote!(
                async fn f() {
                    let c = || yield_!(1);
                }
            ),
            quote!(pub async fn),
            quote!(
                async fn f() {
                    for await x in s {}
                }
            ),
        ];
        for args in &args {
            for item in &items {
                for flavor in [Flavor::Plain, Flavor::Try] {
                    let _ = expand_stream_fn(args.clone(), item.clone(), flavor);
                }
            }
        }
    }

    /// Inside other macros' input: partial, broken or nested shapes.
    #[test]
    fn odd_macro_inputs_in_bodies_never_panic() {
        let bodies = [
            quote!((::async_ext) m!(yield);),
            quote!((::async_ext) m!(yield yield yield);),
            quote!((::async_ext) m! { x => yield, else => yield }),
            quote!((::async_ext) m!(yield_!);),
            quote!((::async_ext) m!(yield_!(1, 2));),
            quote!((::async_ext) m!(async move);),
            quote!((::async_ext) m!(async { yield 1 });),
            quote!((::async_ext) m!(#[for_await] for);),
            quote!((::async_ext) m!(#[for_await] for x in s { yield x; });),
            quote!((::async_ext) m!(stream!);),
            quote!((::async_ext) m!(stream! { yield 1 }, yield 2);),
            quote!((::async_ext) m!(for await x in s { yield x });),
            quote!((::async_ext) macro_rules! m { () => { yield 1 } }),
        ];
        for body in bodies {
            for flavor in [Flavor::Plain, Flavor::Try] {
                let _ = expand_stream_macro(body.clone(), flavor);
            }
        }
    }
}
