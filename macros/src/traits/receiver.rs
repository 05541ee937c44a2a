//! Method receivers: what kind of `self` a method takes ([`ReceiverShape`]), what a `Send`
//! future built from a default body needs of `Self` ([`SelfNeeds`]), whether a signature or
//! body mentions `self`/`Self`,.
//!
//! Shared by boxed mode, native mode and the companion.

use proc_macro2::{TokenStream, TokenTree};

use crate::common::async_body::contains_fn;
use crate::common::walk::{self, Pass};
use syn::{
    Block, ExprPath, FnArg, GenericArgument, Item, Macro, PathArguments, Receiver, ReceiverKind,
    Signature, Type, TypePath,
};

/// What a `Send` future built from a default body needs of `Self`: the future holds the
/// receiver, and `&Self` is `Send` only when `Self: Sync`, `Arc<Self>` only when
/// `Self: Send + Sync`, an owned or `&mut` receiver when `Self: Send`.
///
/// The two modes infer it by different rules, each kept as it was released:
/// [`SelfNeeds::inferred_like_async_trait`] for boxed mode, whose bounds must stay those of
/// async-trait (so traits and impls of the two crates mix), and [`SelfNeeds::of_shape`] for
/// native mode, which follows the receiver's shape. They differ for `self: Pin<&Self>` (boxed:
/// `Send`, native: `Sync`), `self: Rc<Self>` (`Send` / `Send + Sync`), a shared reference to
/// another pointer such as `self: &Box<Self>` (`Sync` / `Send`) and no receiver (`Send` / none).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum SelfNeeds {
    Sync,
    Send,
    SendAndSync,
}

impl SelfNeeds {
    /// Boxed mode, as async-trait infers it: a shared reference needs `Sync`, `Arc<Self>`
    /// needs `Send + Sync`, anything else (also no receiver, with `Self` in the body) `Send`.
    pub(crate) fn inferred_like_async_trait(receiver: Option<&Receiver>) -> Self {
        let Some(receiver) = receiver else {
            return SelfNeeds::Send;
        };
        match &receiver.kind {
            ReceiverKind::Reference(_, _, None) => SelfNeeds::Sync,
            ReceiverKind::Typed(_, ty) => match ty.as_ref() {
                Type::Reference(reference) if reference.mutability.is_none() => SelfNeeds::Sync,
                Type::Path(path) if is_arc_of_self(path) => SelfNeeds::SendAndSync,
                _ => SelfNeeds::Send,
            },
            _ => SelfNeeds::Send,
        }
    }

    /// Native mode, by the receiver's shape; `None` without a receiver.
    pub(crate) fn of_shape(shape: ReceiverShape) -> Option<Self> {
        match shape {
            ReceiverShape::None => None,
            ReceiverShape::Ref | ReceiverShape::PinRef => Some(SelfNeeds::Sync),
            ReceiverShape::Rc | ReceiverShape::Arc => Some(SelfNeeds::SendAndSync),
            ReceiverShape::RefMut
            | ReceiverShape::PinMut
            | ReceiverShape::Value
            | ReceiverShape::Boxed
            | ReceiverShape::Other => Some(SelfNeeds::Send),
        }
    }

    pub(crate) fn needs_sync(self) -> bool {
        matches!(self, SelfNeeds::Sync | SelfNeeds::SendAndSync)
    }

    pub(crate) fn needs_send(self) -> bool {
        matches!(self, SelfNeeds::Send | SelfNeeds::SendAndSync)
    }
}

/// `Arc<Self>`, however the path to `Arc` is spelled (`Self` written plainly).
fn is_arc_of_self(path: &TypePath) -> bool {
    path.path.segments.last().is_some_and(|last| {
        last.ident == "Arc"
            && matches!(
                single_type_argument(&last.arguments),
                Some(Type::Path(inner)) if inner.path.is_ident("Self")
            )
    })
}

/// How a method takes `self`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReceiverShape {
    /// No receiver: an associated function.
    None,
    /// `&self`, `self: &Self`.
    Ref,
    /// `&mut self`, `self: &mut Self`.
    RefMut,
    /// `self`, `mut self`, `self: Self`.
    Value,
    /// `self: Box<Self>`.
    Boxed,
    /// `self: Rc<Self>`.
    Rc,
    /// `self: Arc<Self>`.
    Arc,
    /// `self: Pin<&Self>`.
    PinRef,
    /// `self: Pin<&mut Self>`.
    PinMut,
    /// Any other `self: Type`.
    Other,
}

impl ReceiverShape {
    pub(crate) fn of(sig: &Signature) -> Self {
        match sig.inputs.first() {
            Some(FnArg::Receiver(receiver)) => Self::of_receiver(receiver),
            _ => Self::None,
        }
    }

    fn of_receiver(receiver: &Receiver) -> Self {
        match &receiver.kind {
            ReceiverKind::Value => Self::Value,
            ReceiverKind::Reference(_, _, None) => Self::Ref,
            ReceiverKind::Reference(_, _, Some(_)) => Self::RefMut,
            ReceiverKind::Typed(_, ty) => Self::of_type(ty),
            _ => Self::Other,
        }
    }

    fn of_type(ty: &Type) -> Self {
        match ty {
            Type::Paren(paren) => Self::of_type(&paren.elem),
            Type::Group(group) => Self::of_type(&group.elem),
            _ if is_self(ty) => Self::Value,
            Type::Reference(reference) if is_self(&reference.elem) => {
                if reference.mutability.is_some() {
                    Self::RefMut
                } else {
                    Self::Ref
                }
            }
            Type::Path(path) if path.qself.is_none() => {
                let Some(last) = path.path.segments.last() else {
                    return Self::Other;
                };
                let Some(inner) = single_type_argument(&last.arguments) else {
                    return Self::Other;
                };
                let name = last.ident.to_string();
                match name.as_str() {
                    "Box" if is_self(inner) => Self::Boxed,
                    "Rc" if is_self(inner) => Self::Rc,
                    "Arc" if is_self(inner) => Self::Arc,
                    "Pin" => match Self::of_type(inner) {
                        Self::Ref => Self::PinRef,
                        Self::RefMut => Self::PinMut,
                        _ => Self::Other,
                    },
                    _ => Self::Other,
                }
            }
            _ => Self::Other,
        }
    }
}

fn is_self(ty: &Type) -> bool {
    match ty {
        Type::Path(path) => path.qself.is_none() && path.path.is_ident("Self"),
        Type::Paren(paren) => is_self(&paren.elem),
        Type::Group(group) => is_self(&group.elem),
        _ => false,
    }
}

fn single_type_argument(arguments: &PathArguments) -> Option<&Type> {
    let PathArguments::AngleBracketed(arguments) = arguments else {
        return None;
    };
    let mut iter = arguments.args.iter();
    match (iter.next(), iter.next()) {
        (Some(GenericArgument::Type(ty)), None) => Some(ty),
        _ => None,
    }
}

/// Whether the signature has a receiver or names `Self`.
pub(crate) fn mentions_self_in_sig(sig: &mut Signature) -> bool {
    let mut finder = FindSelf(false);
    walk::node(&mut finder, sig);
    finder.0
}

/// Whether the body names `self` or `Self` (outside nested items).
pub(crate) fn mentions_self_in_block(block: &mut Block) -> bool {
    let mut finder = FindSelf(false);
    walk::node(&mut finder, block);
    finder.0
}

struct FindSelf(bool);

impl Pass for FindSelf {
    fn visit_expr_path_mut(&mut self, expr: &mut ExprPath) {
        self.0 |= expr
            .path
            .segments
            .first()
            .is_some_and(|segment| segment.ident == "Self" || segment.ident == "self");
        walk::children(self, expr);
    }

    fn visit_type_path_mut(&mut self, ty: &mut TypePath) {
        self.0 |= ty
            .path
            .segments
            .first()
            .is_some_and(|segment| segment.ident == "Self");
        walk::children(self, ty);
    }

    fn visit_receiver_mut(&mut self, _: &mut Receiver) {
        self.0 = true;
    }

    fn visit_item_mut(&mut self, _: &mut Item) {
        // A nested item has its own `Self`.
    }

    fn visit_macro_mut(&mut self, mac: &mut Macro) {
        if !contains_fn(&mac.tokens) {
            self.0 |= mentions_self_in_tokens(&mac.tokens);
        }
    }
}

fn mentions_self_in_tokens(tokens: &TokenStream) -> bool {
    tokens.clone().into_iter().any(|tree| match tree {
        TokenTree::Ident(ident) => ident == "Self" || ident == "self",
        TokenTree::Group(group) => mentions_self_in_tokens(&group.stream()),
        _ => false,
    })
}
