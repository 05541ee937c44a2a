//! `#[derive(AsyncDrop)]`: awaits an optional hook, then async-drops the fields marked
//! `#[async_drop]` in declaration order; `#[async_drop(send)]` also derives `AsyncDropSend`.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Fields, Generics, Ident, Item, Member, Type};

use super::markers::{is_marker, respan};
use crate::common::crate_path::CratePath;
use crate::common::errors::Errors;
use crate::common::options::Options;
use crate::common::walk::{self, Pass};

/// The container's `#[async_drop(…)]` options.
#[derive(Default)]
struct ContainerOptions {
    hook: Option<syn::ExprPath>,
    send: bool,
    krate: CratePath,
}

/// One field marked `#[async_drop]`.
struct MarkedField {
    member: Member,
    ty: Type,
    span: Span,
}

pub(super) fn expand(input: TokenStream) -> TokenStream {
    // syn's `full` items, not `DeriveInput` (the workspace builds syn without `derive`).
    let item = match syn::parse2::<Item>(input) {
        Ok(item) => item,
        Err(error) => return error.to_compile_error(),
    };
    let (attrs, ident, generics) = match &item {
        Item::Struct(s) => (&s.attrs, &s.ident, &s.generics),
        Item::Enum(e) => (&e.attrs, &e.ident, &e.generics),
        Item::Union(u) => (&u.attrs, &u.ident, &u.generics),
        other => {
            return syn::Error::new(
                other.span(),
                "`#[derive(AsyncDrop)]` goes on a struct or an enum",
            )
            .to_compile_error();
        }
    };
    let mut errors = Errors::default();
    let options = parse_container_options(attrs, &mut errors);
    let body = match &item {
        Item::Struct(data) => {
            let fields = marked_fields(&data.fields, &mut errors);
            Some(Shape::Struct(fields))
        }
        Item::Enum(data) => {
            let mut variants = Vec::new();
            for variant in &data.variants {
                if let Some(attr) = variant.attrs.iter().find(|attr| is_marker(attr)) {
                    errors.push(syn::Error::new_spanned(
                        attr,
                        "`#[async_drop]` goes on the fields to async-drop, not on a variant: \
                         `Variant { #[async_drop] field: T }`",
                    ));
                }
                variants.push((
                    variant.ident.clone(),
                    marked_fields(&variant.fields, &mut errors),
                ));
            }
            Some(Shape::Enum(variants))
        }
        _ => {
            let union_token = match &item {
                Item::Union(data) => data.union_token.span,
                _ => Span::call_site(),
            };
            errors.push(syn::Error::new(
                union_token,
                "`#[derive(AsyncDrop)]` cannot be used on a union: which field to async-drop \
                 is not known; implement `AsyncDrop` by hand",
            ));
            None
        }
    };
    let mut out = match errors.finish() {
        Ok(()) => TokenStream::new(),
        Err(error) => error.to_compile_error(),
    };
    // Even with an error the impl is emitted (without what was wrong), so that uses of the
    // type as `AsyncDrop` do not add errors of their own.
    if let Some(shape) = body {
        out.extend(generate(ident, generics, &options, &shape));
    }
    out
}

enum Shape {
    Struct(Vec<MarkedField>),
    Enum(Vec<(Ident, Vec<MarkedField>)>),
}

impl Shape {
    fn fields(&self) -> Vec<&MarkedField> {
        match self {
            Shape::Struct(fields) => fields.iter().collect(),
            Shape::Enum(variants) => variants.iter().flat_map(|(_, f)| f.iter()).collect(),
        }
    }
}

fn parse_container_options(attrs: &[syn::Attribute], errors: &mut Errors) -> ContainerOptions {
    let mut result = ContainerOptions::default();
    for attr in attrs.iter().filter(|attr| is_marker(attr)) {
        let syn::Meta::List(list) = &attr.meta else {
            errors.push(syn::Error::new_spanned(
                attr,
                "`#[async_drop]` on a type takes options: `#[async_drop(hook = Self::close)]`, \
                 `#[async_drop(send)]`; mark the fields to async-drop with `#[async_drop]`",
            ));
            continue;
        };
        let parsed = Options::parse(list.tokens.clone(), "async_drop").and_then(|mut options| {
            let hook = options.take_value("hook")?;
            let send = options.take_flag("send")?;
            let krate = options.take_crate_path()?;
            options.finish(&["hook = path", "send", "crate = path"])?;
            Ok((hook, send, krate))
        });
        let Some((hook, send, krate)) = errors.push_result(parsed) else {
            continue;
        };
        if let Some((key, value)) = hook {
            if let Ok(path) = syn::parse2::<syn::ExprPath>(value.clone()) {
                result.hook = Some(path);
            } else {
                let span = if value.is_empty() {
                    key.span()
                } else {
                    value.span()
                };
                errors.push(syn::Error::new(
                    span,
                    "`hook =` takes the path of an async fn on `&mut self`: \
                     `hook = Self::close`",
                ));
            }
        }
        result.send |= send.is_some();
        if krate.to_token_stream().to_string() != CratePath::default().to_token_stream().to_string()
        {
            result.krate = krate;
        }
    }
    result
}

fn marked_fields(fields: &Fields, errors: &mut Errors) -> Vec<MarkedField> {
    let mut marked = Vec::new();
    for (index, field) in fields.iter().enumerate() {
        let Some(attr) = field.attrs.iter().find(|attr| is_marker(attr)) else {
            continue;
        };
        if !matches!(attr.meta, syn::Meta::Path(_)) {
            errors.push(syn::Error::new_spanned(
                attr,
                "`#[async_drop]` on a field takes no arguments: write `#[async_drop]` (options \
                 such as `hook = …` go on the type)",
            ));
        }
        let member = match &field.ident {
            Some(ident) => Member::Named(ident.clone()),
            None => Member::Unnamed(syn::Index {
                index: u32::try_from(index).unwrap_or(u32::MAX),
                span: field.ty.span(),
            }),
        };
        marked.push(MarkedField {
            member,
            ty: field.ty.clone(),
            span: field.ty.span(),
        });
    }
    marked
}

// Input:  `#[derive(AsyncDrop)] #[async_drop(hook = Self::close)] struct S { #[async_drop] a: A, b: B }`
// Output: `impl AsyncDrop for S { fn async_drop(&mut self) -> impl Future<Output = ()> {
//              async move { Self::close(self).await; AsyncDrop::async_drop(&mut self.a).await; } } }`
//         and with `send`, the same through `AsyncDropSend::async_drop_send`.
fn generate(
    name: &Ident,
    generics: &Generics,
    options: &ContainerOptions,
    shape: &Shape,
) -> TokenStream {
    let private = options.krate.private();
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let type_params: Vec<&Ident> = generics.type_params().map(|p| &p.ident).collect();
    let generic_fields: Vec<&Type> = shape
        .fields()
        .into_iter()
        .map(|field| &field.ty)
        .filter(|ty| mentions_any(ty, &type_params))
        .collect();
    let predicates = where_clause.map(|w| &w.predicates);
    let hook = options
        .hook
        .as_ref()
        .map(|hook| quote_spanned!(hook.span()=> #hook(self).await;));

    let drop_body = body(shape, &quote!(#private::drop_field));
    let plain = quote! {
        impl #impl_generics #private::AsyncDrop for #name #ty_generics
        where
            #predicates
            #( #generic_fields: #private::AsyncDrop, )*
        {
            fn async_drop(&mut self) -> impl ::core::future::Future<Output = ()> {
                async move {
                    #hook
                    #drop_body
                }
            }
        }
    };
    if !options.send {
        return plain;
    }
    let send_body = body(shape, &quote!(#private::drop_field_send));
    let self_send = (!type_params.is_empty()).then(|| quote!(Self: ::core::marker::Send,));
    quote! {
        #plain

        impl #impl_generics #private::AsyncDropSend for #name #ty_generics
        where
            #predicates
            #self_send
            #( #generic_fields: #private::AsyncDropSend + ::core::marker::Send, )*
        {
            fn async_drop_send(&mut self) -> impl ::core::future::Future<Output = ()> + ::core::marker::Send {
                async move {
                    #hook
                    #send_body
                }
            }
        }
    }
}

/// The awaits of the marked fields, in declaration order (per variant for an enum).
fn body(shape: &Shape, method: &TokenStream) -> TokenStream {
    let call = |field: &MarkedField, place: TokenStream| {
        let method = respan(method.clone(), field.span);
        quote_spanned!(field.span=> #method(#place).await;)
    };
    match shape {
        Shape::Struct(fields) => {
            let calls = fields.iter().map(|field| {
                let member = &field.member;
                // The place takes the field's span too (`self` keeps call-site hygiene), so
                // that a missing `AsyncDrop` is one error, at the field.
                call(field, respan(quote!(&mut self.#member), field.span))
            });
            quote!(#(#calls)*)
        }
        Shape::Enum(variants) if variants.is_empty() => quote!(match *self {}),
        Shape::Enum(variants) => {
            let arms = variants.iter().map(|(variant, fields)| {
                let bindings: Vec<Ident> = fields
                    .iter()
                    .enumerate()
                    .map(|(index, field)| {
                        let span = Span::mixed_site().located_at(field.span);
                        format_ident!("__async_ext_field_{}", index, span = span)
                    })
                    .collect();
                let members = fields.iter().map(|field| &field.member);
                let calls = fields
                    .iter()
                    .zip(&bindings)
                    .map(|(field, binding)| call(field, quote!(#binding)));
                quote! {
                    Self::#variant { #(#members: #bindings,)* .. } => { #(#calls)* }
                }
            });
            quote!(match self { #(#arms)* })
        }
    }
}

/// Whether `ty` names one of the type parameters (then it gets a where-clause bound).
fn mentions_any(ty: &Type, params: &[&Ident]) -> bool {
    struct Finder<'a> {
        params: &'a [&'a Ident],
        found: bool,
    }
    impl Pass for Finder<'_> {
        // `[T; { const N: usize = 1; N }]`: not the type's.
        fn visit_expr_mut(&mut self, _: &mut syn::Expr) {}
        fn visit_ident_mut(&mut self, ident: &mut Ident) {
            if self.params.contains(&&*ident) {
                self.found = true;
            }
        }
    }
    let mut finder = Finder {
        params,
        found: false,
    };
    walk::node(&mut finder, &mut ty.clone());
    finder.found
}
