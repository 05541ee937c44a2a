//! Tour stop: async fn in traits, boxed mode (async-trait compatible, works with `dyn`).

use async_ext::async_trait_ext;
use std::sync::Arc;

use crate::show::{code, printed, stop};

const SOURCE: &str = include_str!("traits.rs");

// tour: trait
#[async_trait_ext]
trait Greeter {
    async fn greet(&self, name: &str) -> String;
    /// A default body: through `dyn`, it needs `dyn Greeter + Sync`.
    async fn greet_twice(&self, name: &str) -> String {
        format!("{} {}", self.greet(name).await, self.greet(name).await)
    }
}
// tour: end

struct English;
struct Counting(std::sync::atomic::AtomicU32);

// tour: trait
#[async_trait_ext]
impl Greeter for English {
    async fn greet(&self, name: &str) -> String {
        format!("hello, {name}!")
    }
}
// tour: end

#[async_trait_ext]
impl Greeter for Counting {
    async fn greet(&self, name: &str) -> String {
        let n = self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        format!("#{n} {name}")
    }
}

pub(crate) fn run() {
    stop("async fn in traits, boxed mode: `#[async_trait_ext]` on the trait and on each impl");
    code(file!(), SOURCE, "trait");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .expect("a tokio runtime");
    code(file!(), SOURCE, "spawn");
    // tour: spawn
    let greeters: Vec<Arc<dyn Greeter + Send + Sync>> = vec![
        Arc::new(English),
        Arc::new(Counting(std::sync::atomic::AtomicU32::new(0))),
    ];
    let mut texts = Vec::new();
    for greeter in &greeters {
        let greeter = Arc::clone(greeter);
        // The futures are `Send`: they run on another thread of the runtime.
        let spawned = runtime.spawn(async move { greeter.greet_twice("tour").await });
        texts.push(runtime.block_on(spawned).expect("the task ends"));
    }
    // tour: end
    texts.into_iter().for_each(printed);
    println!();
}
