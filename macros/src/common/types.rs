//! Questions about a type that the traits and the generator attributes both ask.

use syn::Type;

/// Whether `ty` contains an `impl Trait`.
pub(crate) fn contains_impl_trait(ty: &Type) -> bool {
    struct Finder(bool);
    impl<'ast> syn::visit::Visit<'ast> for Finder {
        // See `common`: a visitor of types stops at expressions.
        fn visit_expr(&mut self, _: &'ast syn::Expr) {}
        fn visit_type_impl_trait(&mut self, _: &'ast syn::TypeImplTrait) {
            self.0 = true;
        }
    }
    let mut finder = Finder(false);
    syn::visit::Visit::visit_type(&mut finder, ty);
    finder.0
}
