//! Runtime of the traits extension.
//!
//! Native mode's `Dyn` companion is a type alias to a trait object, so it needs no runtime
//! type; its calls return an [`InlineFuture`](crate::InlineFuture), which keeps a small
//! future inline instead of boxing it.

/// Items that generated code reaches through `async_ext::__private`.
pub(crate) mod private {
    // What the companion's hidden erased methods return: the implementor's future, stored
    // inline when it fits (no allocation per call) and boxed when it does not. The `Send` form
    // is for traits in `Send` mode; it can only be made from a `Send` future.
    pub use crate::inline_future::{InlineFuture, SendInlineFuture};
}
