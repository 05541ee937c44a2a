//! What native mode made of each method of a trait, which the companion reads: shared by
//! both, owned by neither.

use syn::Type;

/// What native mode made of one method of the trait.
pub(crate) enum MethodKind {
    /// An `async fn`, now returning `impl Future<Output = output>`.
    Async {
        /// The future's output type, as the user wrote it (`()` when there was none).
        output: Box<Type>,
        /// Whether the future is `Send` (not under a trait-wide or per-method `?Send`).
        send: bool,
    },
    /// A method that was not `async` (an `#[async_stream]` one included, once rewritten).
    Sync,
}
