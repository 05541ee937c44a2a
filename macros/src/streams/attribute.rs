//! `#[async_stream(item = T)]` and `#[async_try_stream(ok = T, error = E)]` on an `async fn`
//! (free fn, inherent method, trait method with or without a body, trait impl method).
//!
//! Input:  `#[async_stream(item = u32)] async fn evens(&self, limit: u32) { … yield_!(i); … }`
//! Output: `fn evens<'__life0>(&'__life0 self, limit: u32)
//!              -> impl Stream<Item = u32> + Captures<(&'__life0 (),)>
//!          { stream_new::<u32, _, _>(move |mut HIDDEN_YIELDER: Yielder<u32>| async move {
//!                let _ = &self; let _ = &limit;      // every argument moves into the stream
//!                { … HIDDEN_YIELDER.yield_item(i).await; … } }) }`
//!         (try: `async move { ARGS…; STMTS…; Ok(()) }`, `yield_ok`)
//!
//! `boxed` returns `Pin<Box<dyn Stream<Item = u32> + Send + '__stream>>` with every lifetime,
//! type parameter and `Self` outliving `'__stream` (async-trait's scheme), except where a
//! hand-written signature would use elision (`&self` the only lifetime: `+ '_`; none and no
//! receiver: `'static`), which it then matches; `boxed_local` the same without `Send`. The try flavour's body returns `Result<(), E>`, so `?` is native, and
//! its item is `Result<T, E>`. Without a body (a trait declaration), only the signature is
//! rewritten, the same way, so the trait and its impls agree.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::parse::{Parse, ParseStream};
use syn::spanned::Spanned;
use syn::{
    Attribute, Block, FnArg, GenericParam, Ident, Lifetime, LifetimeParam, ReturnType, Signature,
    Token, Type, Visibility, WherePredicate, parse_quote,
};

use super::Flavor;
use super::body::{BodyRewriter, Form, allow_placeholders, yielder_ident};
use crate::common::async_body::{
    HiddenNames, SelfBinding, async_move, future_block, move_arguments,
};
use crate::common::crate_path::CratePath;
use crate::common::errors::{Errors, error_with_fallback};
use crate::common::for_await;
use crate::common::lifetimes::{
    Naming, OutputElision, elide_output_lifetimes, name_elided_input_lifetimes,
};
use crate::common::options::Options;
use crate::common::types::contains_impl_trait;
use crate::common::walk::Pass;

/// The fn the attribute sits on; `body` is `None` in a trait declaration.
struct StreamFn {
    attrs: Vec<Attribute>,
    vis: Visibility,
    sig: Signature,
    body: Option<Block>,
}

impl Parse for StreamFn {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis: Visibility = input.parse()?;
        let sig: Signature = input.parse()?;
        let body = if input.peek(Token![;]) {
            input.parse::<Token![;]>()?;
            None
        } else {
            Some(input.parse()?)
        };
        Ok(StreamFn {
            attrs,
            vis,
            sig,
            body,
        })
    }
}

/// What the stream yields.
#[derive(Clone)]
enum ItemType {
    Plain(Box<Type>),
    Try { ok: Box<Type>, error: Box<Type> },
}

impl ItemType {
    fn to_type(&self, private: &TokenStream) -> TokenStream {
        match self {
            ItemType::Plain(item) => item.to_token_stream(),
            ItemType::Try { ok, error } => quote!(#private::core::result::Result<#ok, #error>),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Boxing {
    Unboxed,
    Send,
    Local,
}

struct StreamOptions {
    item: Option<ItemType>,
    boxing: Boxing,
    krate: CratePath,
}

fn attribute_name(flavor: Flavor) -> &'static str {
    match flavor {
        Flavor::Plain => "async_stream",
        Flavor::Try => "async_try_stream",
    }
}

fn parse_options(args: TokenStream, flavor: Flavor) -> syn::Result<StreamOptions> {
    let name = attribute_name(flavor);
    let mut options = Options::parse(args, name)?;
    let mut errors = Errors::default();
    let item = match flavor {
        Flavor::Plain => {
            let item = errors
                .push_result(options.take_parsed::<Type>("item"))
                .flatten();
            if item.is_none() {
                errors.push(syn::Error::new(
                    Span::call_site(),
                    "`#[async_stream]` needs the type of the items: write \
                     `#[async_stream(item = T)]`",
                ));
            }
            item.map(|item| ItemType::Plain(Box::new(item)))
        }
        Flavor::Try => {
            let ok = errors
                .push_result(options.take_parsed::<Type>("ok"))
                .flatten();
            let error = errors
                .push_result(options.take_parsed::<Type>("error"))
                .flatten();
            match (ok, error) {
                (Some(ok), Some(error)) => Some(ItemType::Try {
                    ok: Box::new(ok),
                    error: Box::new(error),
                }),
                (ok, error) => {
                    let missing = match (ok.is_none(), error.is_none()) {
                        (true, true) => "the `Ok` type and the error type",
                        (true, false) => "the `Ok` type",
                        _ => "the error type",
                    };
                    errors.push(syn::Error::new(
                        Span::call_site(),
                        format!(
                            "`#[async_try_stream]` needs {missing}: write \
                             `#[async_try_stream(ok = T, error = E)]`"
                        ),
                    ));
                    None
                }
            }
        }
    };
    let boxed = errors.push_result(options.take_flag("boxed")).flatten();
    let boxed_local = errors
        .push_result(options.take_flag("boxed_local"))
        .flatten();
    let boxing = match (boxed, boxed_local) {
        (Some(_), Some(local)) => {
            errors.push(syn::Error::new(
                local.span(),
                "`boxed` and `boxed_local` exclude each other: `boxed` gives a `Send` stream, \
                 `boxed_local` one without `Send`; keep one",
            ));
            Boxing::Send
        }
        (Some(_), None) => Boxing::Send,
        (None, Some(_)) => Boxing::Local,
        (None, None) => Boxing::Unboxed,
    };
    let krate = errors
        .push_result(options.take_crate_path())
        .unwrap_or_default();
    let accepted: &[&str] = match flavor {
        Flavor::Plain => &["item = T", "boxed", "boxed_local", "crate = path"],
        Flavor::Try => &[
            "ok = T",
            "error = E",
            "boxed",
            "boxed_local",
            "crate = path",
        ],
    };
    errors.push_result(options.finish(accepted));
    errors.finish()?;
    Ok(StreamOptions {
        item,
        boxing,
        krate,
    })
}

pub(crate) fn expand(args: TokenStream, input: TokenStream, flavor: Flavor) -> TokenStream {
    let name = attribute_name(flavor);
    let mut function = match syn::parse2::<StreamFn>(input.clone()) {
        Ok(function) => function,
        // A fn syn cannot parse (rustc reports its own syntax errors there, e.g. for a
        // `for await` loop): syn's error is at the right token.
        Err(error) if has_fn_keyword(&input) => return error_with_fallback(&error, input),
        Err(_) => {
            let error = syn::Error::new(
                Span::call_site(),
                format!(
                    "`#[{name}]` goes on an `async fn` whose body yields with `yield_!(value)`"
                ),
            );
            return error_with_fallback(&error, input);
        }
    };
    let mut errors = Errors::default();
    let options = errors.push_result(parse_options(args, flavor));
    if function.sig.asyncness.is_none() {
        errors.push(syn::Error::new(
            function.sig.fn_token.span,
            format!(
                "`#[{name}]` goes on an `async fn`: write `async fn {}`",
                function.sig.ident
            ),
        ));
    }
    // `-> ()`, which an `async fn` may spell out, is the generator's own output: accepted, as
    // futures-async-stream accepts it.
    if matches!(&function.sig.output, ReturnType::Type(_, ty) if is_unit(ty)) {
        function.sig.output = ReturnType::Default;
    }
    if let ReturnType::Type(_, ty) = &function.sig.output {
        let what = match flavor {
            Flavor::Plain => "give the item type as `#[async_stream(item = T)]`",
            Flavor::Try => "give the item types as `#[async_try_stream(ok = T, error = E)]`",
        };
        errors.push(syn::Error::new(
            ty.span(),
            format!("an `#[{name}]` fn returns its stream: remove the return type and {what}"),
        ));
    }
    let Some(StreamOptions {
        item: Some(item),
        boxing,
        krate,
    }) = options
    else {
        let error = errors.finish().err().unwrap_or_else(|| {
            syn::Error::new(
                Span::call_site(),
                format!("invalid options for `#[{name}]`"),
            )
        });
        return error_with_fallback(&error, stub(function));
    };
    let generator = match flavor {
        Flavor::Plain => "`#[async_stream]` fn",
        Flavor::Try => "`#[async_try_stream]` fn",
    };
    let mut has_placeholders = false;
    if let Some(body) = &mut function.body {
        errors.push_result(for_await::rewrite(body, &krate));
        let declared_item = match &item {
            ItemType::Plain(item) => item.to_token_stream(),
            ItemType::Try { ok, .. } => ok.to_token_stream(),
        };
        let mut rewriter = BodyRewriter::new(
            flavor,
            Form::Attribute,
            generator,
            Some(declared_item),
            krate.private(),
        );
        rewriter.visit_block_mut(body);
        if flavor == Flavor::Try {
            super::body::terminate_tail(body);
        }
        if let Err(error) = rewriter.errors.finish() {
            has_placeholders = true;
            errors.push(error);
        }
    }
    let expanded = build(function, flavor, &item, boxing, &krate, has_placeholders);
    match errors.finish() {
        Ok(()) => expanded,
        Err(error) => error_with_fallback(&error, expanded),
    }
}

/// The fn with an empty body, for options too broken to expand: one error, no cascade.
fn stub(mut function: StreamFn) -> TokenStream {
    function.sig.asyncness = None;
    let StreamFn {
        attrs, vis, sig, ..
    } = function;
    quote! {
        #(#attrs)*
        #[allow(unused_variables, clippy::unused_async)]
        #vis #sig { ::core::unimplemented!() }
    }
}

fn build(
    function: StreamFn,
    flavor: Flavor,
    item: &ItemType,
    boxing: Boxing,
    krate: &CratePath,
    has_placeholders: bool,
) -> TokenStream {
    let private = krate.private();
    let StreamFn {
        attrs,
        vis,
        mut sig,
        body,
    } = function;
    let async_span = sig
        .asyncness
        .take()
        .map_or_else(|| sig.fn_token.span, |token| token.span);
    let moved = body
        .is_some()
        .then(|| move_arguments(&mut sig, SelfBinding::Captured, HiddenNames::AtPattern));
    let item = rewrite_signature(&mut sig, item, boxing, &private, async_span);
    let item = &item;
    let item_type = item.to_type(&private);
    let (Some(body), Some(moved)) = (body, moved) else {
        return quote!(#(#attrs)* #vis #sig;);
    };
    let yielder = yielder_ident();
    let allow = allow_placeholders(has_placeholders);
    let (constructor, end) = match (flavor, item) {
        (Flavor::Try, ItemType::Try { ok, error }) => (
            quote!(#private::try_stream_new::<#ok, #error, _, _>),
            Some(super::body::end_ok(&private)),
        ),
        _ => (quote!(#private::stream_new::<#item_type, _, _>), None),
    };
    let async_body = async_move(async_span, future_block(None, moved, body, end));
    let (span_capture, async_body) = instrumented(&attrs, async_body);
    let stream = quote! {
        #constructor(
            move |#[allow(unused_mut)] mut #yielder: #private::Yielder<#item_type>| #async_body
        )
    };
    let stream = match boxing {
        Boxing::Unboxed => stream,
        Boxing::Send | Boxing::Local => quote!(#private::Box::pin(#stream)),
    };
    let result = Ident::new("__async_ext_stream", Span::mixed_site());
    quote! {
        #(#attrs)*
        #vis #sig {
            #allow
            #span_capture
            let #result = #stream;
            #result
        }
    }
}

// Input:  `#[tracing::instrument(..)]` among the fn's remaining attributes, and the body's
//         future `FUT`
// Output: `let SPAN = ::tracing::Span::current();` for the fn's body, and
//         `::tracing::Instrument::instrument(FUT, SPAN)`
/// `#[tracing::instrument]` after `#[async_stream]` sees a plain fn returning a stream, and
/// enters its span only while the stream is made. That is when the fn's body runs, so the
/// body takes the span then (`Span::current()` is it) and the generator's future carries it
/// into every poll: events in the body sit inside the span, with the arguments as fields.
/// Without the attribute, nothing changes; `tracing` is the user's own dependency.
fn instrumented(attrs: &[Attribute], future: TokenStream) -> (TokenStream, TokenStream) {
    let instrument = attrs.iter().any(|attr| {
        attr.path()
            .segments
            .last()
            .is_some_and(|segment| segment.ident == "instrument")
    });
    if !instrument {
        return (TokenStream::new(), future);
    }
    let span = Ident::new("__async_ext_span", Span::mixed_site());
    (
        quote!(let #span = ::tracing::Span::current();),
        quote!(::tracing::Instrument::instrument(#future, #span)),
    )
}

/// The signature of the stream fn: elided input lifetimes named, the return type set (with
/// `Captures` or the `boxed` bounds). Returns the item type with its elided lifetimes named
/// as output elision would.
fn rewrite_signature(
    sig: &mut Signature,
    item: &ItemType,
    boxing: Boxing,
    private: &TokenStream,
    async_span: Span,
) -> ItemType {
    let inputs = name_elided_input_lifetimes(sig, Naming::Stream);
    let first_type_param = sig
        .generics
        .params
        .iter()
        .position(|param| !matches!(param, GenericParam::Lifetime(_)))
        .unwrap_or(sig.generics.params.len());
    for (offset, lifetime) in inputs.elided.iter().enumerate() {
        sig.generics.params.insert(
            first_type_param + offset,
            GenericParam::Lifetime(LifetimeParam::new(lifetime.clone())),
        );
    }
    let mut item = item.clone();
    let rule = OutputElision::ReferenceReceiverFirst;
    match &mut item {
        ItemType::Plain(ty) => elide_output_lifetimes(ty, &inputs, rule),
        ItemType::Try { ok, error } => {
            elide_output_lifetimes(ok, &inputs, rule);
            elide_output_lifetimes(error, &inputs, rule);
        }
    }
    let item_type = item.to_type(private);
    let stream_type = quote_spanned!(async_span=> #private::Stream<Item = #item_type>);
    match boxing {
        Boxing::Unboxed => {
            let lifetimes: Vec<Lifetime> = sig
                .generics
                .lifetimes()
                .map(|param| param.lifetime.clone())
                .collect();
            let captures = if lifetimes.is_empty() {
                TokenStream::new()
            } else {
                quote_spanned!(async_span=> + #private::Captures<(#(&#lifetimes (),)*)>)
            };
            sig.output = return_type(async_span, quote!(impl #stream_type #captures));
        }
        Boxing::Send | Boxing::Local => {
            let outlives = match stream_lifetime(sig) {
                StreamLifetime::Receiver(receiver) => quote!(+ #receiver),
                StreamLifetime::Static => TokenStream::new(),
                StreamLifetime::Added => {
                    bound_everything(sig);
                    quote!(+ '__stream)
                }
            };
            let send = (boxing == Boxing::Send).then(|| quote!(+ #private::core::marker::Send));
            sig.output = return_type(
                async_span,
                quote!(#private::Pin<#private::Box<dyn #stream_type #send #outlives>>),
            );
        }
    }
    generics_brackets(sig);
    item
}

/// How long a `boxed` stream lives, in the signature.
enum StreamLifetime {
    /// As long as the receiver's borrow, the signature's only lifetime: `fn s(&self, n: u32)
    /// -> Pin<Box<dyn Stream<…> + Send + '_>>`, as written by hand.
    Receiver(Lifetime),
    /// No lifetime and no receiver: `fn s(n: u32) -> Pin<Box<dyn Stream<…> + Send>>`.
    Static,
    /// Any other shape (type parameters, `impl Trait` arguments, several lifetimes): an added
    /// `'__stream` that all of them outlive ([`bound_everything`]).
    Added,
}

/// Where a hand-written signature would use elision, the boxed one is that signature: it
/// gains no lifetime parameter, so it matches a trait declaring the method by hand (an added
/// lifetime bounded in a `where` clause is early-bound, and rustc rejects it against the
/// trait's elided one: E0195).
fn stream_lifetime(sig: &Signature) -> StreamLifetime {
    let reference_receiver = match sig.receiver().map(|receiver| &receiver.kind) {
        Some(syn::ReceiverKind::Reference(_, lifetime, _)) => lifetime.as_ref(),
        _ => None,
    };
    let mut lifetimes = sig.generics.lifetimes();
    let only_lifetime = lifetimes.next().map(|param| &param.lifetime);
    let has_where = sig
        .generics
        .where_clause
        .as_ref()
        .is_some_and(|clause| !clause.predicates.is_empty());
    let has_impl_trait = sig
        .inputs
        .iter()
        .any(|arg| matches!(arg, FnArg::Typed(pat_type) if contains_impl_trait(&pat_type.ty)));
    if lifetimes.next().is_some()
        || sig.generics.type_params().next().is_some()
        || has_where
        || has_impl_trait
    {
        return StreamLifetime::Added;
    }
    match (only_lifetime, reference_receiver) {
        (None, None) if sig.receiver().is_none() => StreamLifetime::Static,
        (Some(only), Some(receiver)) if only == receiver => StreamLifetime::Receiver(only.clone()),
        _ => StreamLifetime::Added,
    }
}

/// `boxed`: adds `'__stream` and makes every lifetime, type parameter, `impl Trait` argument
/// and (for methods) `Self` outlive it, so the boxed stream may hold all of them.
fn bound_everything(sig: &mut Signature) {
    let stream_lifetime = Lifetime::new("'__stream", Span::call_site());
    let lifetimes: Vec<Lifetime> = sig
        .generics
        .lifetimes()
        .map(|param| param.lifetime.clone())
        .collect();
    let types: Vec<Ident> = sig
        .generics
        .type_params()
        .map(|param| param.ident.clone())
        .collect();
    let has_receiver = sig.receiver().is_some();
    for arg in &mut sig.inputs {
        if let FnArg::Typed(pat_type) = arg {
            AddBound(&stream_lifetime).visit_type_mut(&mut pat_type.ty);
        }
    }
    sig.generics.params.insert(
        0,
        GenericParam::Lifetime(LifetimeParam::new(stream_lifetime.clone())),
    );
    let where_clause = sig.generics.make_where_clause();
    for lifetime in lifetimes {
        where_clause
            .predicates
            .push(parse_quote!(#lifetime: #stream_lifetime));
    }
    for ty in types {
        where_clause
            .predicates
            .push(parse_quote!(#ty: #stream_lifetime));
    }
    if has_receiver {
        let predicate: WherePredicate = parse_quote!(Self: #stream_lifetime);
        where_clause.predicates.push(predicate);
    }
}

/// Adds `+ 'lifetime` to every `impl Trait` argument type.
struct AddBound<'a>(&'a Lifetime);

impl Pass for AddBound<'_> {
    // An expression in a type (`[u8; N]`) holds nothing this looks for.
    fn visit_expr_mut(&mut self, _: &mut syn::Expr) {}

    fn visit_type_impl_trait_mut(&mut self, impl_trait: &mut syn::TypeImplTrait) {
        crate::common::walk::children(self, impl_trait);
        let lifetime = self.0;
        impl_trait.bounds.push(parse_quote!(#lifetime));
    }
}

/// Generics that gained parameters need their `<` `>` even if the user wrote none.
fn generics_brackets(sig: &mut Signature) {
    if !sig.generics.params.is_empty() {
        sig.generics.lt_token.get_or_insert_with(Default::default);
        sig.generics.gt_token.get_or_insert_with(Default::default);
    }
}

/// `()`, also in parentheses.
fn is_unit(ty: &Type) -> bool {
    match ty {
        Type::Tuple(tuple) => tuple.elems.is_empty(),
        Type::Paren(paren) => is_unit(&paren.elem),
        _ => false,
    }
}

fn has_fn_keyword(input: &TokenStream) -> bool {
    input
        .clone()
        .into_iter()
        .any(|tree| matches!(tree, proc_macro2::TokenTree::Ident(ident) if ident == "fn"))
}

/// `-> TYPE` from tokens, without re-parsing them (the item type is the user's, already parsed).
fn return_type(span: Span, ty: TokenStream) -> ReturnType {
    ReturnType::Type(Token![->](span), Box::new(Type::Verbatim(ty)))
}
