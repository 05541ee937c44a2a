use async_ext::AsyncFnMut;
use std::future::Future;

// What `tokio::spawn` asks of a task.
fn spawn<T: Future + Send + 'static>(_: T) {}

// An `AsyncFnMut` bound says nothing of its futures being `Send`: rustc offers a bound on
// `CallRefFuture` (which would force `F: 'static` for every borrow); the fix is
// `F: AsyncFnMutSend<(u32,), Output = u32>` and `f.call_mut_send((1,))`.
fn start<F>(mut f: F)
where
    F: AsyncFnMut<(u32,), Output = u32> + Send + 'static,
{
    spawn(async move { f.call_mut((1,)).await });
}

fn main() {
    start(|x: u32| async move { x });
}
