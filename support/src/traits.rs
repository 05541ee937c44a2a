//! Runtime of the traits extension: boxed mode's asyncness records (`asyncness`), native
//! mode's bounds on default bodies (`default_body`). Boxed mode's boxing needs no runtime:
//! each boxed trait or impl reaches `Box` itself, so the attribute works through another
//! crate's re-export.
//!
//! Native mode's `Dyn` companion is a type alias to a trait object, so it needs no runtime
//! type; its calls return an [`InlineFuture`](crate::InlineFuture), which keeps a small
//! future inline instead of boxing it.

mod asyncness;
mod default_body;

/// Items that generated code reaches through `async_ext::__private`.
pub(crate) mod private {
    // What the companion's hidden erased methods return: the implementor's future, stored
    // inline when it fits (no allocation per call) and boxed when it does not. The `Send` form
    // is for traits in `Send` mode; it can only be made from a `Send` future.
    pub use crate::inline_future::{InlineFuture, SendInlineFuture};
    // The companion implements its trait for `Arc<DynStore>` too (a shared, owned handle).
    #[cfg(target_has_atomic = "ptr")]
    pub use ::alloc::sync::Arc;

    // Boxed mode: the records of which trait methods are `async` and the checks an impl's
    // probe runs against them, so a missing `async` is reported at the impl's method.
    pub use super::asyncness::{
        AsyncInTrait, LocalAsyncInTrait, NativeAsyncInTrait, NotAsyncInTrait, NotLocalInTrait,
        NotNativeTrait, NotSendInTrait, NotSyncInTrait, SyncInTrait, UnknownAsyncness,
        async_in_impl, boxed_impl_of, local_async_in_impl, sync_in_impl,
    };
    // Native mode: the bounds a default body of a `Send` trait puts on `Self`.
    pub use super::default_body::{DefaultBodySend, DefaultBodySync};
}
