//! `#[async_scope]`: the fn's `#[async_drop]` values and `defer_async!` futures live in slots
//! owned by the fn's future, outside the user's body; the body becomes an ordinary
//! (non-`move`) async block polled with panics caught, and when it ends (value, `return`, `?`,
//! panic) the slots are cleaned in reverse order of filling before the value is returned or
//! the panic resumed.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::{FnArg, Ident, ReturnType};

use super::markers::{self, MarkerRewriter, Mode, Order, SlotDecl, SlotKind};
use crate::common::async_body;
use crate::common::crate_path::CratePath;
use crate::common::errors::{Errors, error_with_fallback};
use crate::common::for_await;
use crate::common::options::Options;
use crate::common::walk::Pass;

/// `#[async_scope]` on an `async fn` (free fn or method).
pub(super) fn expand(args: TokenStream, input: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let krate = errors.push_result(parse_options(args)).unwrap_or_default();
    let Ok(mut function) = syn::parse2::<syn::ItemFn>(input.clone()) else {
        // At the item's first token (`struct`, `fn`…), not at the attribute.
        let span = input
            .clone()
            .into_iter()
            .next()
            .map_or_else(Span::call_site, |token| token.span());
        let error = syn::Error::new(
            span,
            "`#[async_scope]` goes on an `async fn` with a body: \
             `#[async_scope] async fn name(…) { … }`",
        );
        return error_with_fallback(&error, input);
    };
    errors.push_result(super::rewrite_scope_fn(
        &mut function.sig,
        &mut function.block,
        &krate,
    ));
    match errors.finish() {
        Ok(()) => function.into_token_stream(),
        Err(error) => error_with_fallback(&error, function),
    }
}

fn parse_options(args: TokenStream) -> syn::Result<CratePath> {
    let mut options = Options::parse(args, "async_scope")?;
    let krate = options.take_crate_path()?;
    options.finish(&["crate = path"])?;
    Ok(krate)
}

/// A marked parameter: renamed in the signature, its value moved into its slot first thing.
struct ParamSlot {
    name: Ident,
    hidden: Ident,
    slot: Ident,
}

pub(super) fn rewrite(
    sig: &mut syn::Signature,
    block: &mut syn::Block,
    krate: &CratePath,
) -> syn::Result<()> {
    let mut errors = Errors::default();
    errors.push_result(for_await::rewrite(block, krate));
    let mode = if sig.asyncness.is_some() {
        Mode::Rewrite
    } else {
        errors.push(syn::Error::new(
            sig.fn_token.span,
            "`#[async_scope]` goes on an `async fn`: its clean-up is awaited; \
             write `async fn`",
        ));
        Mode::Neutralize
    };
    let order = Order::of(block);
    let mut rewriter = MarkerRewriter::new(krate.private(), &sig.ident, mode, order);
    let params = take_param_markers(sig, &mut rewriter, mode);
    rewriter.visit_block_mut(block);
    let param_fills: Vec<TokenStream> = params
        .iter()
        .map(|param| {
            let ParamSlot { name, hidden, slot } = param;
            let fill = rewriter.fill_call(name, slot, hidden);
            // Like a marked `let`: used by its own clean-up, so no warning when `disarm!` is
            // its only use.
            quote!(#[allow(unused_variables)] let #name = #fill;)
        })
        .collect();
    let MarkerRewriter {
        slots,
        errors: marker_errors,
        seq,
        ..
    } = rewriter;
    if let Err(error) = marker_errors.finish() {
        errors.push(error);
    }
    if mode == Mode::Rewrite && !slots.is_empty() {
        let guard = async_body::return_guard(&sig.output);
        let async_span = sig
            .asyncness
            .map_or_else(Span::call_site, |token| token.span);
        let output_span = match &sig.output {
            ReturnType::Default => sig.paren_token.span.close(),
            ReturnType::Type(_, ty) => syn::spanned::Spanned::span(&**ty),
        };
        *block = wrap_body(
            block,
            &param_fills,
            &slots,
            (order, &seq),
            guard,
            krate,
            (async_span, output_span),
        );
    }
    errors.finish()
}

/// Removes `#[async_drop]` from the parameters and renames the marked ones.
// Input:  `#[async_drop] conn: Conn`
// Output: `HIDDEN: Conn`, and `let conn = fill(&mut SLOT, HIDDEN);` opens the body.
fn take_param_markers(
    sig: &mut syn::Signature,
    rewriter: &mut MarkerRewriter,
    mode: Mode,
) -> Vec<ParamSlot> {
    let mut params = Vec::new();
    for input in &mut sig.inputs {
        match input {
            FnArg::Receiver(receiver) => {
                if let Some(marker) = markers::take_marker(&mut receiver.attrs) {
                    rewriter.errors.push(syn::Error::new_spanned(
                        marker,
                        "`#[async_drop]` cannot mark `self`: bind the value to async-drop \
                         with `#[async_drop] let name = value;` or mark another parameter",
                    ));
                }
            }
            FnArg::Typed(typed) => {
                let Some(marker) = markers::take_marker(&mut typed.attrs) else {
                    continue;
                };
                markers::reject_marker_arguments(&marker, &mut rewriter.errors);
                let Some(binding) = markers::plain_binding(&typed.pat) else {
                    rewriter.errors.push(syn::Error::new_spanned(
                        &typed.pat,
                        "`#[async_drop]` binds a plain name, not a pattern: write \
                         `#[async_drop] name: Type` (the name is a `&mut` to the value) and \
                         destructure through it",
                    ));
                    continue;
                };
                if mode == Mode::Neutralize {
                    continue;
                }
                let hidden = markers::hidden(&format!("__async_ext_param_{}", params.len()));
                let slot = rewriter.new_value_slot(&binding.name);
                rewriter.bind_name(&binding.name, &slot);
                *typed.pat = syn::Pat::Ident(syn::PatIdent {
                    attrs: Vec::new(),
                    by_ref: None,
                    mutability: None,
                    ident: hidden.clone(),
                    subpat: None,
                });
                params.push(ParamSlot {
                    name: binding.name,
                    hidden,
                    slot,
                });
            }
        }
    }
    params
}

// Input:  `{ BODY }` with slots S0 (value, parameter `conn`), S1 (defer)
// Output, `Order::Text` (no marker in a loop: slots filled in the order of the text):
//         `{ let mut S0 = Slot::new(|| &Site { binding: Some("conn"), … line!() … });
//            let mut S1 = DeferSlot::new(&Site { binding: None, … });
//            let mut outcome = scope_body(async { let conn = fill(&mut S0, P0);
//                                                 if let Some(r) = None::<R> { return r; }
//                                                 BODY }).await;
//            if S1.is_filled() {
//                let cleaned = cleanup(pin!((&mut S1).run_deferred())).await;
//                outcome.record(cleaned);
//            }
//            if S0.is_filled() {
//                let cleaned = cleanup(pin!((&mut slot_of(&mut S0)).async_drop_slot())).await;
//                outcome.record(cleaned);
//                end_cleanup(&mut S0, &mut outcome);
//            }
//            outcome.finish() }`
// Output, `Order::Counted`: `let mut SEQ = 0;` first, `OrderedSlot`s, and the epilogue cleans
//         the latest filled slot until none is left:
//         `loop { match latest([S0.latest_seq(), S1.latest_seq()]) {
//                     Some(0) => { …S0's clean-up as above… }
//                     Some(1) => …S1's…, _ => break } }`
fn wrap_body(
    block: &syn::Block,
    param_fills: &[TokenStream],
    slots: &[markers::SlotDecl],
    (order, seq): (Order, &Ident),
    guard: TokenStream,
    krate: &CratePath,
    (async_span, output_span): (Span, Span),
) -> syn::Block {
    let private = krate.private();
    // The fn's own awaits are spanned at its `async`, so "not `Send` because … is held
    // across an await" points at the fn, not at the attribute.
    let await_ = quote_spanned!(async_span=> .await);
    // Holds the body's value across the clean-up's awaits; located at the return type, so
    // "`R` is held across an await" points there.
    let mut outcome = markers::hidden("__async_ext_outcome");
    outcome.set_span(Span::mixed_site().located_at(output_span));
    // The binding's `mut` too: the note points at the whole pattern.
    let mut_ = quote_spanned!(output_span=> mut);
    let declarations = slots.iter().map(|decl| {
        let SlotDecl {
            ident, kind, site, ..
        } = decl;
        // A value slot takes its site as a closure, which it stores in no space (see `Slot`).
        let (slot, site) = match (kind, order) {
            (SlotKind::Value, Order::Text) => (quote!(Slot), quote!(|| #site)),
            (SlotKind::Value, Order::Counted) => (quote!(OrderedSlot), quote!(|| #site)),
            (SlotKind::Defer, _) => (quote!(DeferSlot), quote!(#site)),
        };
        quote!(let mut #ident = #private::#slot::new(#site);)
    });
    let counter =
        (order == Order::Counted).then(|| quote!(let mut #seq: ::core::primitive::u64 = 0;));
    let epilogue = epilogue(slots, order, &private, &outcome, &await_);
    let stmts = &block.stmts;
    let wrapped = quote! {
        {
            #counter
            #(#declarations)*
            let #mut_ #outcome = #private::scope_body(async {
                #(#param_fills)*
                // The block's output type is the fn's, before its first `?`.
                #guard
                #(#stmts)*
            })#await_;
            {
                #[allow(unused_imports)]
                use #private::{
                    AsyncDropSlot as _, AsyncDropSlotFallback as _, AsyncDropSlotSend as _,
                    RunDeferred as _, RunDeferredFallback as _,
                };
                #epilogue
            }
            #outcome.finish()
        }
    };
    syn::parse2(wrapped).unwrap_or_else(|error| syn::Block {
        brace_token: block.brace_token,
        stmts: vec![syn::Stmt::Expr(
            syn::Expr::Verbatim(error.to_compile_error()),
            None,
        )],
    })
}

/// The clean-up of every slot, latest filled first (see [`wrap_body`]).
fn epilogue(
    slots: &[markers::SlotDecl],
    order: Order,
    private: &TokenStream,
    outcome: &Ident,
    await_: &TokenStream,
) -> TokenStream {
    // Awaited before `record` borrows the outcome: a borrow taken first would be held across
    // the await, one more pointer stored in the fn's future.
    let cleaned = markers::hidden("__async_ext_cleaned");
    let cleanups = slots.iter().map(|decl| {
        let ident = &decl.ident;
        // The pinned clean-up is what the fn's future holds across the await: "has type
        // `NeedsAsyncDropSend<…>` which is not `Send`" points at the user's binding.
        let span = decl.span;
        match decl.kind {
            SlotKind::Value => {
                let pinned = quote_spanned! {span=>
                    ::core::pin::pin!((&mut #private::slot_of(&mut #ident)).async_drop_slot())
                };
                quote! {
                    let #cleaned = #private::cleanup(#pinned)#await_;
                    #outcome.record(#cleaned);
                    #private::end_cleanup(&mut #ident, &mut #outcome);
                }
            }
            SlotKind::Defer => {
                let pinned = quote_spanned!(span=> ::core::pin::pin!((&mut #ident).run_deferred()));
                quote! {
                    let #cleaned = #private::cleanup(#pinned)#await_;
                    #outcome.record(#cleaned);
                }
            }
        }
    });
    match order {
        Order::Text => {
            let idents = slots.iter().map(|decl| &decl.ident).rev();
            let cleanups: Vec<_> = cleanups.collect();
            let cleanups = cleanups.iter().rev();
            quote! {
                #(
                    if #idents.is_filled() {
                        #cleanups
                    }
                )*
            }
        }
        Order::Counted => {
            let seqs = slots.iter().map(|decl| {
                let ident = &decl.ident;
                quote!(#ident.latest_seq())
            });
            let indices = 0..slots.len();
            quote! {
                loop {
                    match #private::latest([#(#seqs),*]) {
                        #(
                            ::core::option::Option::Some(#indices) => {
                                #cleanups
                            }
                        )*
                        _ => break,
                    }
                }
            }
        }
    }
}
