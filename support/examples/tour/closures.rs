//! Tour stop: lending async closures with `Send` bounds and a `dyn` form, on stable.

use async_ext::{AsyncFn, AsyncFnMut, AsyncFnMutSend, DynAsyncFnMut, async_closure};

use crate::show::{code, printed, stop};

const SOURCE: &str = include_str!("closures.rs");

// tour: spawn
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
// tour: end

pub(crate) fn run() {
    stop("async closures: `async_closure!({ let mut n = 0; … } async |x: u32| …)`");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        code(file!(), SOURCE, "spawn");
        // tour: spawn
        let prefix = String::from("item-");
        let next = async_closure!({ let mut n = 0u32; let prefix = prefix.clone(); }
        async |step: u32| -> String {
            n += step;
            let label: &str = &prefix; // a borrow of the closure's state…
            tokio::task::yield_now().await; // …held across a suspension
            format!("{label}{n}")
        });
        let outputs = spawn_calls(next, &[1, 2, 3]).await;
        // tour: end
        printed(format!("{outputs:?}"));

        code(file!(), SOURCE, "shared");
        // tour: shared
        let greet = async_closure!({ let name = String::from("ferris"); }
            async |greeting: &str| format!("{greeting}, {name}"));
        // An `AsyncFn` closure (no `let mut` capture): two calls run at once.
        let (a, b) = tokio::join!(greet.call(("hi",)), greet.call(("hello",)));
        // tour: end
        printed(format!("{a:?} and {b:?}"));

        code(file!(), SOURCE, "dyn");
        // tour: dyn
        let mut handlers: Vec<Box<dyn DynAsyncFnMut<(u32,), String> + Send>> = vec![
            Box::new(
                async_closure!({ let mut calls = 0u32; } async |x: u32| -> String {
                    calls += 1;
                    format!("macro closure: {x} (call {calls})")
                }),
            ),
            Box::new(|x: u32| async move { format!("plain closure: {x}") }),
        ];
        let mut outputs = Vec::new();
        for handler in &mut handlers {
            outputs.push(handler.call_mut((7,)).await);
        }
        // tour: end
        outputs.into_iter().for_each(printed);
    });
    println!();
}
