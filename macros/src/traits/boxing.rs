//! What boxed mode's expansions need at run time — `Box`, and the boxing of a `Send` future —
//! reached without naming async-ext, so that the attribute works when a user reaches it
//! through another crate's re-export (`pub use async_ext::async_trait_ext as async_trait;`)
//! and has no `async-ext` dependency of their own, as async-trait's expansion needs no runtime
//! crate.
//!
//! Each boxed trait or impl gets one hidden module beside it, named after a hash of the item
//! (so that two in one module do not clash), under the item's own `#[cfg]`s:
//!
//! ```text
//! mod __async_ext_boxed_1f2e3d4c5b6a7988 {
//!     extern crate alloc;                       // reaches `Box` in every crate, `no_std` too
//!     pub(super) use alloc::boxed::Box;
//!     pub(super) struct SendBox;
//!     impl SendBox {
//!         pub(super) fn pin<'a, F: Future + Send + 'a>(future: F)
//!             -> Pin<Box<dyn Future<Output = F::Output> + Send + 'a>> { Box::pin(future) }
//!     }
//! }
//! ```
//!
//! A method's body then ends in `__async_ext_boxed_…::SendBox::pin(async move { … })` (or
//! `…::Box::pin` under `?Send`): the shape async-trait emits, a call of a path ending in
//! `Box::pin` on an `async move` block, which is what `#[tracing::instrument]` looks for to
//! instrument the future rather than the call that makes it. `SendBox::pin` rather than a
//! plain `Box::pin` keeps the "not `Send`" error at the user's `async` with a note on the
//! bound, located at the attribute where `?Send` would be written.

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::{Attribute, Ident};

/// The hidden module of one boxed trait or impl.
pub(crate) struct Boxing {
    module: Ident,
}

impl Boxing {
    /// The module for `item` (the trait or impl as written), whose name is a hash of it.
    pub(crate) fn for_item(item: &impl ToTokens) -> Self {
        // FNV-1a over the tokens' own text, not the stream's printed form (whose spacing may
        // change between compilers): the same name on every run and platform.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        hash_tokens(item.to_token_stream(), &mut hash);
        Boxing {
            module: format_ident!("__async_ext_boxed_{:016x}", hash),
        }
    }

    /// `__async_ext_boxed_…::Box`, for signatures.
    pub(crate) fn box_path(&self) -> TokenStream {
        let module = &self.module;
        quote!(#module::Box)
    }

    /// The fn a method's future is boxed with: `SendBox::pin` (checking `Send`, with the
    /// bound's note) or, under `?Send`, `Box::pin`.
    pub(crate) fn pin_path(&self, send: bool) -> TokenStream {
        let module = &self.module;
        if send {
            quote!(#module::SendBox::pin)
        } else {
            quote!(#module::Box::pin)
        }
    }

    /// The module itself, under the item's `#[cfg]`s.
    pub(crate) fn module(&self, cfgs: &[&Attribute]) -> TokenStream {
        let module = &self.module;
        // At the attribute (call site): rustc's note "required by this bound in
        // `SendBox::pin`" shows that line, where `?Send` goes.
        let send = quote_spanned!(Span::call_site()=> ::core::marker::Send);
        quote! {
            #(#cfgs)*
            #[doc(hidden)]
            #[allow(dead_code, unreachable_pub, unused_extern_crates)]
            mod #module {
                extern crate alloc;
                pub(super) use alloc::boxed::Box;
                pub(super) struct SendBox;
                impl SendBox {
                    #[inline]
                    pub(super) fn pin<'a, F>(
                        future: F,
                    ) -> ::core::pin::Pin<
                        Box<dyn ::core::future::Future<Output = F::Output> + #send + 'a>,
                    >
                    where
                        F: ::core::future::Future + #send + 'a,
                    {
                        Box::pin(future)
                    }
                }
            }
        }
    }
}

fn add_text(text: &str, hash: &mut u64) {
    for byte in text.bytes().chain([0]) {
        *hash ^= u64::from(byte);
        *hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
}

fn hash_tokens(tokens: TokenStream, hash: &mut u64) {
    for tree in tokens {
        match tree {
            TokenTree::Group(group) => {
                let open = match group.delimiter() {
                    Delimiter::Parenthesis => "(",
                    Delimiter::Brace => "{",
                    Delimiter::Bracket => "[",
                    Delimiter::None => "",
                };
                add_text(open, hash);
                hash_tokens(group.stream(), hash);
            }
            TokenTree::Ident(ident) => add_text(&ident.to_string(), hash),
            TokenTree::Punct(punct) => add_text(punct.as_char().encode_utf8(&mut [0; 4]), hash),
            TokenTree::Literal(literal) => add_text(&literal.to_string(), hash),
        }
    }
}
