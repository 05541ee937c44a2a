//! Boxed mode's asyncness checks: a trait records whether each method is `async`, in one
//! hidden struct with a field per method of type [`AsyncInTrait`], [`LocalAsyncInTrait`] or
//! [`SyncInTrait`] (returned by one hidden `where Self: Sized` method); the impl's probe
//! passes each of its methods' fields to [`sync_in_impl`]/[`async_in_impl`]/
//! [`local_async_in_impl`], so an `async` missing on one side is reported as such, at the
//! impl's method. [`UnknownAsyncness`] is the fallback when the trait has no record
//! (async-trait, hand-written): it passes every check. A native trait records its methods one by
//! one ([`NativeAsyncInTrait`]), and a boxed impl checks its first `async fn` against that.
//!
//! The records are tuples of `()` of a length per kind, named here (not arrays: every array
//! length would be one more constant for rustc to evaluate per method; never `()`, which
//! makes rustc suggest a unary tuple): core types, so that a
//! trait's expansion names no crate (the attribute works through another crate's re-export),
//! while the checks, whose messages need `#[diagnostic::on_unimplemented]`, live here.

/// The trait declares this method `async fn`, with a `Send` future.
pub type AsyncInTrait = ((), ());

/// The trait declares this method `async fn` under `?Send` (on the trait or the method).
pub type LocalAsyncInTrait = ((), (), ());

/// The trait declares this method as a plain `fn`.
pub type SyncInTrait = ((),);

/// The trait was not expanded by `#[async_trait_ext]` boxed mode: nothing to check.
pub type UnknownAsyncness = ((), (), (), (), ());

/// The trait is in native mode and declares this method `async fn` (returning
/// `impl Future`), which a boxed impl method cannot implement.
pub type NativeAsyncInTrait = ((), (), (), ());

/// A method written without `async` in an impl matches the trait's method.
#[diagnostic::on_unimplemented(
    message = "this method is an `async fn` in the trait, but not in this impl",
    label = "write `async fn` here, as in the trait",
    note = "`#[async_trait_ext]` boxes the future of every `async fn` in the trait and its impls; \
            a method must be `async` on both sides or on neither"
)]
pub trait NotAsyncInTrait {}
#[diagnostic::do_not_recommend]
impl NotAsyncInTrait for SyncInTrait {}
#[diagnostic::do_not_recommend]
impl NotAsyncInTrait for UnknownAsyncness {}

/// A method written `async fn` in an impl matches the trait's method.
#[diagnostic::on_unimplemented(
    message = "this method is an `async fn` in this impl, but not in the trait",
    label = "remove `async` here, or make the trait's method an `async fn`",
    note = "`#[async_trait_ext]` boxes the future of every `async fn` in the trait and its impls; \
            a method must be `async` on both sides or on neither"
)]
pub trait NotSyncInTrait {}
#[diagnostic::do_not_recommend]
impl NotSyncInTrait for AsyncInTrait {}
#[diagnostic::do_not_recommend]
impl NotSyncInTrait for LocalAsyncInTrait {}
#[diagnostic::do_not_recommend]
impl NotSyncInTrait for UnknownAsyncness {}
#[diagnostic::do_not_recommend]
impl NotSyncInTrait for NativeAsyncInTrait {}

/// A `Send` `async fn` of an impl matches the trait's method.
#[diagnostic::on_unimplemented(
    message = "this method's future is `?Send` in the trait, but `Send` in this impl",
    label = "write `#[async_trait_ext(?Send)]` on this method (or on the impl), as in the trait",
    note = "a macro on an impl cannot see the trait: the impl repeats the trait's `?Send`"
)]
pub trait NotLocalInTrait {}
#[diagnostic::do_not_recommend]
impl NotLocalInTrait for AsyncInTrait {}
#[diagnostic::do_not_recommend]
impl NotLocalInTrait for SyncInTrait {}
#[diagnostic::do_not_recommend]
impl NotLocalInTrait for UnknownAsyncness {}
#[diagnostic::do_not_recommend]
impl NotLocalInTrait for NativeAsyncInTrait {}

/// A `?Send` `async fn` of an impl matches the trait's method.
#[diagnostic::on_unimplemented(
    message = "this method's future is `Send` in the trait, but `?Send` in this impl",
    label = "remove `?Send` here, or write `#[async_trait_ext(?Send)]` on the trait's method",
    note = "a macro on an impl cannot see the trait: the impl repeats the trait's `?Send`"
)]
pub trait NotSendInTrait {}
#[diagnostic::do_not_recommend]
impl NotSendInTrait for LocalAsyncInTrait {}
#[diagnostic::do_not_recommend]
impl NotSendInTrait for SyncInTrait {}
#[diagnostic::do_not_recommend]
impl NotSendInTrait for UnknownAsyncness {}
#[diagnostic::do_not_recommend]
impl NotSendInTrait for NativeAsyncInTrait {}

/// An `async fn` of an impl can be boxed: the trait is not in native mode.
#[diagnostic::on_unimplemented(
    message = "this trait is in native mode: implement its `async fn`s without `#[async_trait_ext]`",
    label = "this `async fn` is boxed by the `#[async_trait_ext]` on its impl",
    note = "impls of a `#[async_trait_ext(native)]` trait are plain `async fn`s; \
            remove `#[async_trait_ext]` from the impl block"
)]
pub trait NotNativeTrait {}
#[diagnostic::do_not_recommend]
impl NotNativeTrait for AsyncInTrait {}
#[diagnostic::do_not_recommend]
impl NotNativeTrait for LocalAsyncInTrait {}
#[diagnostic::do_not_recommend]
impl NotNativeTrait for SyncInTrait {}
#[diagnostic::do_not_recommend]
impl NotNativeTrait for UnknownAsyncness {}

/// Checks a plain `fn` of an impl against the trait's record.
pub fn sync_in_impl<Record: NotAsyncInTrait>(record: Record) {
    let _ = record;
}

/// Checks a `Send` `async fn` of an impl against the trait's record.
pub fn async_in_impl<Record: NotSyncInTrait + NotLocalInTrait>(record: Record) {
    let _ = record;
}

/// Checks a `?Send` `async fn` of an impl against the trait's record.
pub fn local_async_in_impl<Record: NotSyncInTrait + NotSendInTrait>(record: Record) {
    let _ = record;
}

/// Checks that the trait of a boxed impl is not native, on the impl's first `async fn` only:
/// a native trait is one mistake however many methods the impl has.
pub fn boxed_impl_of<Record: NotNativeTrait>(record: Record) {
    let _ = record;
}
