//! Tour stop: lending async closures with `Send` bounds and a `dyn` form, on stable.

use async_ext::{AsyncFn, AsyncFnMut, AsyncFnMutSend, DynAsyncFnMut, async_closure};

/// Generic code that spawns each call: possible because `AsyncFnMutSend` promises `Send`
/// futures, which a bound on a native async closure cannot say on stable.
async fn spawn_calls<F>(mut f: F, steps: &[u32]) -> Vec<String>
where
    F: AsyncFnMutSend<(u32,), Output = String> + Send + 'static,
{
    let steps = steps.to_vec();
    tokio::spawn(async move {
        let mut outputs = Vec::new();
        for step in steps {
            outputs.push(f.call_mut_send((step,)).await);
        }
        outputs
    })
    .await
    .expect("the task does not panic")
}

pub(crate) fn run() {
    println!("async closures: `async_closure!({{ let mut n = 0; … }} async |x: u32| …)`");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        let prefix = String::from("item-");
        let next = async_closure!({ let mut n = 0u32; let prefix = prefix.clone(); }
        async |step: u32| -> String {
            n += step;
            let label: &str = &prefix; // a borrow of the closure's state…
            tokio::task::yield_now().await; // …held across a suspension
            format!("{label}{n}")
        });
        let outputs = spawn_calls(next, &[1, 2, 3]).await;
        println!(
            "  state kept across calls, called from generic code inside `tokio::spawn`: {outputs:?}"
        );

        let greet = async_closure!({ let name = String::from("ferris"); }
            async |greeting: &str| format!("{greeting}, {name}"));
        let (a, b) = tokio::join!(greet.call(("hi",)), greet.call(("hello",)));
        println!("  an `AsyncFn` closure, two calls at once: {a:?} and {b:?}");

        let mut handlers: Vec<Box<dyn DynAsyncFnMut<(u32,), String> + Send>> = vec![
            Box::new(
                async_closure!({ let mut calls = 0u32; } async |x: u32| -> String {
                    calls += 1;
                    format!("macro closure: {x} (call {calls})")
                }),
            ),
            Box::new(|x: u32| async move { format!("plain closure: {x}") }),
        ];
        for handler in &mut handlers {
            println!("  through dyn: {}", handler.call_mut((7,)).await);
        }
    });
    println!();
}
