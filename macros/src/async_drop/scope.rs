//! `#[async_scope]`: the fn's `#[async_drop]` values and `defer_async!` futures live in slots
//! owned by the fn's future, outside the user's body; the body becomes an ordinary
//! (non-`move`) async block polled with panics caught, and when it ends (value, `return`, `?`,
//! panic) the slots are cleaned in reverse order of filling before the value is returned or
//! the panic resumed.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::visit_mut::VisitMut;
use syn::{FnArg, Ident, ReturnType, Type};

use super::markers::{self, MarkerRewriter, Mode, SlotKind};
use crate::common::crate_path::CratePath;
use crate::common::errors::{Errors, error_with_fallback};
use crate::common::for_await;
use crate::common::options::Options;

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
    let mut rewriter = MarkerRewriter::new(krate.private(), mode);
    let params = take_param_markers(sig, &mut rewriter, mode);
    rewriter.visit_block_mut(block);
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
        let hint = return_type_hint(&sig.output);
        let async_span = sig
            .asyncness
            .map_or_else(Span::call_site, |token| token.span);
        let output_span = match &sig.output {
            ReturnType::Default => sig.paren_token.span.close(),
            ReturnType::Type(_, ty) => syn::spanned::Spanned::span(&**ty),
        };
        *block = wrap_body(
            block,
            &params,
            &slots,
            &seq,
            hint,
            krate,
            (async_span, output_span),
        );
    }
    errors.finish()
}

/// Removes `#[async_drop]` from the parameters and renames the marked ones.
// Input:  `#[async_drop] conn: Conn`
// Output: `HIDDEN: Conn`, and `let conn = fill(&mut SLOT, &mut SEQ, HIDDEN);` opens the body.
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

/// The return type with `impl Trait` replaced by `_`, to tell the body's async block its
/// output type before its first `?` (so that `?` keeps its `From` conversion).
fn return_type_hint(output: &ReturnType) -> Type {
    struct ImplToInfer;
    impl VisitMut for ImplToInfer {
        // See `common`: a visitor of types stops at expressions.
        fn visit_expr_mut(&mut self, _: &mut syn::Expr) {}

        fn visit_type_mut(&mut self, ty: &mut Type) {
            if let Type::ImplTrait(impl_trait) = ty {
                let span = impl_trait.impl_token.span;
                *ty = syn::parse_quote_spanned!(span=> _);
            } else {
                syn::visit_mut::visit_type_mut(self, ty);
            }
        }
    }
    match output {
        ReturnType::Default => syn::parse_quote!(()),
        ReturnType::Type(_, ty) => {
            let mut ty = (**ty).clone();
            ImplToInfer.visit_type_mut(&mut ty);
            ty
        }
    }
}

// Input:  `{ BODY }` with slots S0 (value, parameter `conn`), S1 (defer)
// Output: `{ let mut SEQ = 0; let mut S0 = Slot::new(); let mut S1 = DeferSlot::new();
//            let outcome = { let body = pin!(async { let conn = fill(&mut S0, &mut SEQ, P0);
//                                                    if let Some(r) = None::<R> { return r; }
//                                                    BODY });
//                            scope_body(body).await };
//            let (value, mut panic) = split(outcome);
//            loop { match latest([S0.latest_seq(), S1.latest_seq()]) {
//                Some(0) => { run_cleanup((&mut &mut S0).async_drop_slot(), &mut panic).await;
//                             end_cleanup(&mut S0, &mut panic); }
//                Some(1) => run_cleanup(S1.run_latest(), &mut panic).await,
//                _ => break } }
//            finish(value, panic) }`
fn wrap_body(
    block: &syn::Block,
    params: &[ParamSlot],
    slots: &[markers::SlotDecl],
    seq: &Ident,
    hint: Type,
    krate: &CratePath,
    (async_span, output_span): (Span, Span),
) -> syn::Block {
    let private = krate.private();
    // The fn's own awaits are spanned at its `async`, so "not `Send` because … is held
    // across an await" points at the fn, not at the attribute.
    let await_ = quote_spanned!(async_span=> .await);
    let body_ident = markers::hidden("__async_ext_body");
    let outcome = markers::hidden("__async_ext_outcome");
    // Located at the return type: "`R` is held across an await" points there.
    let mut value = markers::hidden("__async_ext_value");
    value.set_span(Span::mixed_site().located_at(output_span));
    let panic = markers::hidden("__async_ext_panic");
    let hint_ident = markers::hidden("__async_ext_return");
    let declarations = slots.iter().map(|decl| {
        let ident = &decl.ident;
        match decl.kind {
            SlotKind::Value => quote!(let mut #ident = #private::Slot::new();),
            SlotKind::Defer => quote!(let mut #ident = #private::DeferSlot::new();),
        }
    });
    let param_fills = params.iter().map(|param| {
        let ParamSlot { name, hidden, slot } = param;
        let fill_path = markers::respan(quote!(#private::fill), name.span());
        let fill = quote_spanned!(name.span()=> #fill_path(&mut #slot, &mut #seq, #hidden));
        quote!(let #name = #fill;)
    });
    let seqs = slots.iter().map(|decl| {
        let ident = &decl.ident;
        quote!(#ident.latest_seq())
    });
    let arms = slots.iter().enumerate().map(|(index, decl)| {
        let ident = &decl.ident;
        match decl.kind {
            SlotKind::Value => quote! {
                ::core::option::Option::Some(#index) => {
                    #private::run_cleanup((&mut &mut #ident).async_drop_slot(), &mut #panic)#await_;
                    #private::end_cleanup(&mut #ident, &mut #panic);
                }
            },
            SlotKind::Defer => quote! {
                ::core::option::Option::Some(#index) => {
                    #private::run_cleanup(#ident.run_latest(), &mut #panic)#await_;
                }
            },
        }
    });
    let stmts = &block.stmts;
    let wrapped = quote! {
        {
            let mut #seq: ::core::primitive::u64 = 0;
            #(#declarations)*
            let #outcome = {
                let #body_ident = ::core::pin::pin!(async {
                    #(#param_fills)*
                    if let ::core::option::Option::Some(#hint_ident) =
                        ::core::option::Option::None::<#hint>
                    {
                        #[allow(unreachable_code)]
                        return #hint_ident;
                    }
                    #(#stmts)*
                });
                #private::scope_body(#body_ident)#await_
            };
            let (#value, mut #panic) = #private::split(#outcome);
            {
                #[allow(unused_imports)]
                use #private::{AsyncDropSlot as _, AsyncDropSlotFallback as _, AsyncDropSlotSend as _};
                loop {
                    match #private::latest([#(#seqs),*]) {
                        #(#arms)*
                        _ => break,
                    }
                }
            }
            #private::finish(#value, #panic)
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
