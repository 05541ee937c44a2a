//! Async drop: `#[async_scope]` (with `#[async_drop]` bindings, `defer_async!` and `disarm!`
//! inside it) and `#[derive(AsyncDrop)]`.
//!
//! * `scope.rs`: the body rewrite, shared by `#[async_scope]` and `#[async_trait_ext]`
//!   ([`rewrite_scope_fn`]);
//! * `markers.rs`: the visitor that finds the markers in a body and rewrites them in place;
//! * `derive.rs`: `#[derive(AsyncDrop)]`.

mod derive;
mod markers;
mod scope;

use proc_macro2::TokenStream;

use crate::common::crate_path::CratePath;

/// `#[async_scope]` on an `async fn`.
pub(crate) fn expand_scope(args: TokenStream, input: TokenStream) -> TokenStream {
    scope::expand(args, input)
}

/// Rewrites one `#[async_scope]` async fn in place; the fn stays `async fn`, its body now
/// awaits the clean-up of its `#[async_drop]` values and `defer_async!` futures.
///
/// Used by `#[async_scope]` itself and by `#[async_trait_ext]`, which expands first and so
/// must apply the scope to a method marked `#[async_scope]` before it boxes the body (it
/// removes the `#[async_scope]` attribute and calls this).
///
/// On error the fn is still left compilable as far as possible (markers removed, the macros
/// replaced), so that the caller can emit it next to the error and one mistake gives one
/// error.
pub(crate) fn rewrite_scope_fn(
    sig: &mut syn::Signature,
    block: &mut syn::Block,
    krate: &CratePath,
) -> syn::Result<()> {
    scope::rewrite(sig, block, krate)
}

/// `#[derive(AsyncDrop)]`.
pub(crate) fn expand_derive(input: TokenStream) -> TokenStream {
    derive::expand(input)
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::{expand_derive, expand_scope};

    /// Broken and unusual inputs give an expansion or a `compile_error!`, never a panic.
    #[test]
    fn odd_inputs_do_not_panic() {
        let scopes = [
            quote!(),
            quote!(
                struct S;
            ),
            quote!(
                fn f() {
                    #[async_drop]
                    let (a, b) = c;
                    defer_async!();
                    disarm!(x);
                }
            ),
            quote!(
                async fn f(#[async_drop] self, #[async_drop] (a, b): T) {}
            ),
            quote!(
                async fn f() {
                    #[async_drop]
                    let a;
                    #[async_drop]
                    let b = c else { return };
                }
            ),
            quote!(
                async fn f() {
                    defer_async!(,,);
                    disarm!(a.b);
                    disarm!();
                    disarm!(r#type);
                }
            ),
            quote!(
                async fn f(#[async_drop] r#type: T) -> impl Tr {
                    disarm!(r#type)
                }
            ),
            quote!(
                async fn f() {
                    || {
                        #[async_drop]
                        let a = b;
                        defer_async!(c);
                        disarm!(a)
                    };
                }
            ),
            quote!(
                async fn f() {
                    #[async_drop(x = )]
                    let a = b;
                }
            ),
        ];
        for input in scopes {
            let _ = expand_scope(quote!(), input.clone());
            let _ = expand_scope(quote!(crate = ), input.clone());
            let _ = expand_scope(quote!(crate = ::x, Send), input);
        }
        let derives = [
            quote!(),
            quote!(union U { a: u8 }),
            quote!(
                fn f() {}
            ),
            quote!(
                #[async_drop]
                #[async_drop(hook = )]
                #[async_drop(hook = 1, hook = x)]
                struct S;
            ),
            quote!(
                #[async_drop(send, send, crate = )]
                enum E {
                    #[async_drop]
                    A(#[async_drop(x)] u8),
                }
            ),
            quote!(
                enum E {}
            ),
            quote!(
                struct S<T, const N: usize>(#[async_drop] [T; N])
                where
                    T: Clone;
            ),
        ];
        for input in derives {
            let _ = expand_derive(input);
        }
    }

    /// Uses after `disarm!`, in nested blocks, the same statement and after a shadowing `let`:
    /// one error each at most, never a panic.
    #[test]
    fn uses_after_disarm_do_not_panic() {
        let input = quote!(
            async fn f(#[async_drop] a: A, #[async_drop] b: B) {
                {
                    let c = disarm!(a);
                }
                let d = (disarm!(b), b, a);
                a.x;
                let a = 1;
                a;
                disarm!(a);
                a
            }
        );
        let output = expand_scope(quote!(), input).to_string();
        // `a` used after its disarm in the inner block: one error; `b` in the same statement
        // is left to the borrow checker; the shadowing `a` is not a binding of the scope.
        assert_eq!(
            output.matches("is used after `disarm!(a)`").count(),
            1,
            "{output}"
        );
        assert_eq!(output.matches("is used after `disarm!(b)`").count(), 0);
    }

    #[test]
    fn a_scope_without_markers_keeps_its_body() {
        let input = quote!(
            async fn f(x: u8) -> u8 {
                x + 1
            }
        );
        let output = expand_scope(quote!(), input.clone());
        assert_eq!(output.to_string(), input.to_string());
    }

    #[test]
    fn every_marker_is_rewritten() {
        let output = expand_scope(
            quote!(),
            quote!(
                async fn f(#[async_drop] a: A) {
                    #[async_drop]
                    let b = B;
                    defer_async!(c);
                    let _ = disarm!(b);
                }
            ),
        )
        .to_string();
        assert!(!output.contains("compile_error"), "{output}");
        assert!(!output.contains("# [async_drop]"), "{output}");
        for needle in [
            "fill",
            "defer",
            "disarm (& mut",
            "scope_body",
            "finish",
            "is_filled",
        ] {
            assert!(output.contains(needle), "missing {needle}: {output}");
        }
        // No marker in a loop: the slots are cleaned in the order of the text.
        for absent in ["latest ([", "rebind", "OrderedSlot"] {
            assert!(!output.contains(absent), "unexpected {absent}: {output}");
        }
    }

    /// A marker in a loop makes the fill order a run-time fact: counted slots, the rebinding
    /// clean-up for the `let` in the loop only.
    #[test]
    fn a_marker_in_a_loop_counts_the_fills() {
        let output = expand_scope(
            quote!(),
            quote!(
                async fn f() {
                    #[async_drop]
                    let once = A;
                    for _ in 0..2 {
                        #[async_drop]
                        let again = B;
                    }
                }
            ),
        )
        .to_string();
        assert!(!output.contains("compile_error"), "{output}");
        for needle in ["OrderedSlot", "latest ([", "fill_ordered"] {
            assert!(output.contains(needle), "missing {needle}: {output}");
        }
        assert_eq!(output.matches("rebind (").count(), 1, "{output}");
    }
}
