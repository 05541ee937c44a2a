//! Tour stop: async fn in traits, boxed mode (async-trait compatible, works with `dyn`).

use async_ext::async_trait_ext;
use std::sync::Arc;

#[async_trait_ext]
trait Greeter {
    async fn greet(&self, name: &str) -> String;
    /// A default body: through `dyn`, it needs `dyn Greeter + Sync`.
    async fn greet_twice(&self, name: &str) -> String {
        format!("{} {}", self.greet(name).await, self.greet(name).await)
    }
}

struct English;
struct Counting(std::sync::atomic::AtomicU32);

#[async_trait_ext]
impl Greeter for English {
    async fn greet(&self, name: &str) -> String {
        format!("hello, {name}!")
    }
}

#[async_trait_ext]
impl Greeter for Counting {
    async fn greet(&self, name: &str) -> String {
        let n = self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        format!("#{n} {name}")
    }
}

pub(crate) fn run() {
    println!("async fn in traits: `#[async_trait_ext]` on the trait and its impls");
    let greeters: Vec<Arc<dyn Greeter + Send + Sync>> = vec![
        Arc::new(English),
        Arc::new(Counting(std::sync::atomic::AtomicU32::new(0))),
    ];
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .expect("a tokio runtime");
    for greeter in &greeters {
        let greeter = Arc::clone(greeter);
        // The futures are `Send`: they run on another thread of the runtime.
        let spawned = runtime.spawn(async move { greeter.greet_twice("tour").await });
        let text = runtime.block_on(spawned).expect("the task ends");
        println!("  Arc<dyn Greeter + Send + Sync>, spawned: {text}");
    }
    println!("  each call boxed its future: one allocation per call, as with async-trait\n");
}
