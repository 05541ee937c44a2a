//! The shape of a method's `self` receiver, for native mode: which bound a default body's
//! `Send` future needs, and whether the `Dyn` companion can call the method.

use syn::{FnArg, GenericArgument, PathArguments, Receiver, ReceiverKind, Signature, Type};

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

    /// Whether the method owns `self` (so a default body must move it into its future).
    pub(crate) fn owns_self(self) -> bool {
        matches!(self, Self::Value | Self::Boxed | Self::Rc | Self::Arc)
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
