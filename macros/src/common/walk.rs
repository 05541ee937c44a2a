//! The one syntax-tree walk of the crate, shared by every pass (rewriters and searches alike).
//!
//! Compile time: a `syn::visit_mut::VisitMut` impl compiles its own copy of syn's walk over all
//! it can reach (from a type or a pattern, that is every expression, statement and item: about
//! 360 functions). So no pass implements `VisitMut`: each implements [`Pass`], whose hooks are
//! named and behave as `VisitMut`'s methods of the same name, and one `VisitMut` impl,
//! [`Walker`], walks for all of them, calling the pass's hooks through a `dyn Pass`. A search
//! over a borrowed node walks a clone of it (syn's read-only `Visit` would be a second copy
//! of the walk, and a feature of syn that async-trait does not build).
//!
//! In a pass, as in a `VisitMut` impl: `self.visit_expr_mut(e)` is the hook (or its default,
//! the walk of `e`'s children); [`children`] is syn's `visit_mut::visit_*_mut(self, node)`, the
//! walk of a node's children, for a hook that acts around them; [`node`] walks any node
//! (through its hook, if it has one).

use syn::visit_mut::{self, VisitMut};

/// The pass as a `dyn Pass`, for the default hooks (written once here, for every pass).
pub(crate) trait AsPass {
    fn as_pass(&mut self) -> &mut dyn Pass;
}

impl<P: Pass> AsPass for P {
    fn as_pass(&mut self) -> &mut dyn Pass {
        self
    }
}

/// The walker: syn's walk, with each hooked node handed to the pass. Only this type
/// instantiates syn's walk.
pub(crate) struct Walker<'p>(&'p mut dyn Pass);

macro_rules! hooks {
    ($($method:ident: $node:ty,)*) => {
        /// A pass over a syntax tree. Each hook is called at each node of its type; its default
        /// walks the node's children (overriding it without calling [`children`] stops there).
        pub(crate) trait Pass: AsPass {
            $(
                fn $method(&mut self, node: &mut $node) {
                    visit_mut::$method(&mut Walker(self.as_pass()), node);
                }
            )*
        }

        impl VisitMut for Walker<'_> {
            $(
                fn $method(&mut self, node: &mut $node) {
                    self.0.$method(node);
                }
            )*
        }
    };
}

hooks! {
    visit_block_mut: syn::Block,
    visit_expr_mut: syn::Expr,
    visit_expr_path_mut: syn::ExprPath,
    visit_generic_argument_mut: syn::GenericArgument,
    visit_ident_mut: proc_macro2::Ident,
    visit_item_mut: syn::Item,
    visit_lifetime_mut: syn::Lifetime,
    visit_local_mut: syn::Local,
    visit_macro_mut: syn::Macro,
    visit_parenthesized_generic_arguments_mut: syn::ParenthesizedGenericArguments,
    visit_pat_mut: syn::Pat,
    visit_pat_ident_mut: syn::PatIdent,
    visit_receiver_mut: syn::Receiver,
    visit_receiver_kind_mut: syn::ReceiverKind,
    visit_stmt_mut: syn::Stmt,
    visit_type_mut: syn::Type,
    visit_type_fn_ptr_mut: syn::TypeFnPtr,
    visit_type_impl_trait_mut: syn::TypeImplTrait,
    visit_type_path_mut: syn::TypePath,
    visit_type_ptr_mut: syn::TypePtr,
    visit_type_reference_mut: syn::TypeReference,
}

/// A syntax node a walk can start at.
pub(crate) trait Node {
    /// The node, through its hook if it has one (`VisitMut::visit_*_mut`).
    fn walk(&mut self, walker: &mut Walker<'_>);
    /// The node's children (`visit_mut::visit_*_mut`).
    fn walk_children(&mut self, walker: &mut Walker<'_>);
}

macro_rules! nodes {
    ($($node:ty => $method:ident,)*) => {$(
        impl Node for $node {
            fn walk(&mut self, walker: &mut Walker<'_>) {
                walker.$method(self);
            }
            fn walk_children(&mut self, walker: &mut Walker<'_>) {
                visit_mut::$method(walker, self);
            }
        }
    )*};
}

nodes! {
    syn::Block => visit_block_mut,
    syn::Expr => visit_expr_mut,
    syn::ExprAsync => visit_expr_async_mut,
    syn::ExprClosure => visit_expr_closure_mut,
    syn::ExprPath => visit_expr_path_mut,
    syn::GenericArgument => visit_generic_argument_mut,
    syn::Generics => visit_generics_mut,
    syn::ImplItemFn => visit_impl_item_fn_mut,
    syn::Item => visit_item_mut,
    syn::ItemFn => visit_item_fn_mut,
    syn::ItemImpl => visit_item_impl_mut,
    syn::ItemTrait => visit_item_trait_mut,
    syn::Local => visit_local_mut,
    syn::LocalInit => visit_local_init_mut,
    syn::Macro => visit_macro_mut,
    syn::ParenthesizedGenericArguments => visit_parenthesized_generic_arguments_mut,
    syn::Pat => visit_pat_mut,
    syn::PatIdent => visit_pat_ident_mut,
    syn::Path => visit_path_mut,
    syn::Receiver => visit_receiver_mut,
    syn::ReceiverKind => visit_receiver_kind_mut,
    syn::Signature => visit_signature_mut,
    syn::Stmt => visit_stmt_mut,
    syn::TraitItemFn => visit_trait_item_fn_mut,
    syn::Type => visit_type_mut,
    syn::TypeFnPtr => visit_type_fn_ptr_mut,
    syn::TypeImplTrait => visit_type_impl_trait_mut,
    syn::TypeParamBound => visit_type_param_bound_mut,
    syn::TypePath => visit_type_path_mut,
    syn::TypePtr => visit_type_ptr_mut,
    syn::TypeReference => visit_type_reference_mut,
}

/// Walks `node` (through its hook, if it has one) with `pass`.
pub(crate) fn node<N: Node + ?Sized>(pass: &mut dyn Pass, node: &mut N) {
    node.walk(&mut Walker(pass));
}

/// Walks the children of `node` with `pass` (what a hook does by default).
pub(crate) fn children<N: Node + ?Sized>(pass: &mut dyn Pass, node: &mut N) {
    node.walk_children(&mut Walker(pass));
}
