//! Boxed mode's runtime: the one function its `Send` futures are boxed through.

use alloc::boxed::Box;

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
