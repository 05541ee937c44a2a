//! Questions about a type that the traits and the generator attributes both ask.

use syn::Type;

use super::walk::{self, Pass};

/// Whether `ty` contains an `impl Trait`.
pub(crate) fn contains_impl_trait(ty: &Type) -> bool {
    struct Finder(bool);
    impl Pass for Finder {
        // `[u8; { fn f(_: impl Tr) {} 0 }]`: not the type's.
        fn visit_expr_mut(&mut self, _: &mut syn::Expr) {}
        fn visit_type_impl_trait_mut(&mut self, _: &mut syn::TypeImplTrait) {
            self.0 = true;
        }
    }
    let mut finder = Finder(false);
    walk::node(&mut finder, &mut ty.clone());
    finder.0
}
