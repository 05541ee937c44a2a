//! What generated code calls, and nothing else. Not public API: names here change without
//! notice. Generated code reaches every item as `$crate::__private::…` (or
//! `<crate = path>::__private::…`), so users need nothing in scope.

// `Box` comes from here so that `no_std` users need no `extern crate alloc` and a user type
// named `Box` cannot capture generated code.
pub use ::alloc::boxed::Box;

// `core`, for generated code to name `core::pin::pin!`, `Option`, `Result`…: a crate may shadow
// `::core` (`extern crate other as core;` at its root), but not a path through this crate.
pub use ::core;

// The function-like macros' implementations; the public macros are `macro_rules!` wrappers
// that pass `$crate`, so a renamed dependency keeps working.
pub use async_ext_macros::{async_closure_inner, stream_inner, try_stream_inner};

// `for await`: the one-error check that the looped expression is a stream, and the loop's
// next-item future.
pub use crate::for_await::{
    Checked, LoopStream, LoopStreamByMut, NeverApplies, Next, Unreachable, loop_stream,
    loop_stream_by_mut, next,
};

// Each extension's runtime items; every item is commented where it is defined.
pub use crate::async_drop::private::*;
pub use crate::closures::private::*;
pub use crate::streams::private::*;
pub use crate::traits::private::*;

// `#[async_trait_ext]` boxed mode: a trait records for each method whether it is `async`, in a
// hidden `where Self: Sized` method returning `AsyncInTrait` or `SyncInTrait`; the impl's probe
// passes that record to `sync_in_impl`/`async_in_impl`, so an `async` missing on one side is
// reported as such, at the impl's method. `UnknownAsyncness` is the fallback when the trait has
// no record (async-trait, native mode, hand-written): it passes both checks.

/// The trait declares this method `async fn`, with a `Send` future.
#[derive(Debug)]
pub struct AsyncInTrait;

/// The trait declares this method `async fn` under `?Send` (on the trait or the method).
#[derive(Debug)]
pub struct LocalAsyncInTrait;

/// The trait declares this method as a plain `fn`.
#[derive(Debug)]
pub struct SyncInTrait;

/// The trait was not expanded by `#[async_trait_ext]` boxed mode: nothing to check.
#[derive(Debug)]
pub struct UnknownAsyncness;

/// The trait is in native mode and declares this method `async fn` (returning
/// `impl Future`), which a boxed impl method cannot implement.
#[derive(Debug)]
pub struct NativeAsyncInTrait;

/// A method written without `async` in an impl matches the trait's method.
#[diagnostic::on_unimplemented(
    message = "this method is an `async fn` in the trait, but not in this impl",
    label = "write `async fn` here, as in the trait",
    note = "`#[async_trait_ext]` boxes the future of every `async fn` in the trait and its impls; \
            a method must be `async` on both sides or on neither"
)]
pub trait NotAsyncInTrait {}
impl NotAsyncInTrait for SyncInTrait {}
impl NotAsyncInTrait for UnknownAsyncness {}

/// A method written `async fn` in an impl matches the trait's method.
#[diagnostic::on_unimplemented(
    message = "this method is an `async fn` in this impl, but not in the trait",
    label = "remove `async` here, or make the trait's method an `async fn`",
    note = "`#[async_trait_ext]` boxes the future of every `async fn` in the trait and its impls; \
            a method must be `async` on both sides or on neither"
)]
pub trait NotSyncInTrait {}
impl NotSyncInTrait for AsyncInTrait {}
impl NotSyncInTrait for LocalAsyncInTrait {}
impl NotSyncInTrait for UnknownAsyncness {}
impl NotSyncInTrait for NativeAsyncInTrait {}

/// A `Send` `async fn` of an impl matches the trait's method.
#[diagnostic::on_unimplemented(
    message = "this method's future is `?Send` in the trait, but `Send` in this impl",
    label = "write `#[async_trait_ext(?Send)]` on this method (or on the impl), as in the trait",
    note = "a macro on an impl cannot see the trait: the impl repeats the trait's `?Send`"
)]
pub trait NotLocalInTrait {}
impl NotLocalInTrait for AsyncInTrait {}
impl NotLocalInTrait for SyncInTrait {}
impl NotLocalInTrait for UnknownAsyncness {}
impl NotLocalInTrait for NativeAsyncInTrait {}

/// A `?Send` `async fn` of an impl matches the trait's method.
#[diagnostic::on_unimplemented(
    message = "this method's future is `Send` in the trait, but `?Send` in this impl",
    label = "remove `?Send` here, or write `#[async_trait_ext(?Send)]` on the trait's method",
    note = "a macro on an impl cannot see the trait: the impl repeats the trait's `?Send`"
)]
pub trait NotSendInTrait {}
impl NotSendInTrait for LocalAsyncInTrait {}
impl NotSendInTrait for SyncInTrait {}
impl NotSendInTrait for UnknownAsyncness {}
impl NotSendInTrait for NativeAsyncInTrait {}

/// An `async fn` of an impl can be boxed: the trait is not in native mode.
#[diagnostic::on_unimplemented(
    message = "this trait is in native mode: implement its `async fn`s without `#[async_trait_ext]`",
    label = "this `async fn` is boxed by the `#[async_trait_ext]` on its impl",
    note = "impls of a `#[async_trait_ext(native)]` trait are plain `async fn`s; \
            remove `#[async_trait_ext]` from the impl block"
)]
pub trait NotNativeTrait {}
impl NotNativeTrait for AsyncInTrait {}
impl NotNativeTrait for LocalAsyncInTrait {}
impl NotNativeTrait for SyncInTrait {}
impl NotNativeTrait for UnknownAsyncness {}

/// Checks a plain `fn` of an impl against the trait's record.
pub fn sync_in_impl<Record: NotAsyncInTrait>(record: Record) {
    let _ = record;
}

/// Checks a `Send` `async fn` of an impl against the trait's record.
pub fn async_in_impl<Record: NotSyncInTrait + NotNativeTrait + NotLocalInTrait>(record: Record) {
    let _ = record;
}

/// Checks a `?Send` `async fn` of an impl against the trait's record.
pub fn local_async_in_impl<Record: NotSyncInTrait + NotNativeTrait + NotSendInTrait>(
    record: Record,
) {
    let _ = record;
}

/// `#[async_trait_ext]` boxes the future of an `async fn` of a `Send` trait through this fn
/// rather than `Box::pin`, so that a future that is not `Send` is reported with the bound
/// below: rustc shows its line, comment included, as a note.
pub fn send_future<'a, F>(
    future: F,
) -> ::core::pin::Pin<Box<dyn ::core::future::Future<Output = F::Output> + Send + 'a>>
where
    F: ::core::future::Future + Send /* not `Send`? `#[async_trait_ext(?Send)]` lifts this */ + 'a,
{
    Box::pin(future)
}
