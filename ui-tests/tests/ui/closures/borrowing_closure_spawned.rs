use async_ext::{AsyncFnMutSend, async_closure};

// What `tokio::spawn` asks of a closure moved into a task.
fn spawn_call<F>(_: F)
where
    F: AsyncFnMutSend<(u32,), Output = u32> + Send + 'static,
{
}

fn main() {
    let base = 10u32;
    // `base` is not in the capture block, so the closure borrows it: not `'static`.
    let closure = async_closure!({ let mut n = 0u32; } async |x: u32| -> u32 {
        n += x + base;
        n
    });
    spawn_call(closure);
}
