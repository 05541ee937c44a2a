//! Tour stop: native-mode traits: plain `async fn` impls, `Send` futures, and the `Dyn`
//! companion for dynamic dispatch.

use async_ext::async_trait_ext;

#[async_trait_ext(native)]
trait Greeter {
    async fn greet(&self, name: &str) -> String;
    async fn greet_all(&self, names: Vec<String>) -> Vec<String> {
        let mut out = Vec::new();
        for name in &names {
            out.push(self.greet(name).await);
        }
        out
    }
}

struct English;
struct French;

// Impls of a native trait are plain `async fn`s: no attribute.
impl Greeter for English {
    async fn greet(&self, name: &str) -> String {
        format!("hello, {name}")
    }
}

impl Greeter for French {
    async fn greet(&self, name: &str) -> String {
        format!("bonjour, {name}")
    }
}

pub(crate) fn run() {
    println!("native traits: `#[async_trait_ext(native)]` on the trait, plain `async fn` impls");
    futures::executor::block_on(async {
        println!(
            "  static call (no allocation): {}",
            English.greet("Ada").await
        );
        // Dynamic dispatch: the companion `DynGreeter` holds any implementor.
        let greeters: Vec<Box<DynGreeter<'static>>> =
            vec![DynGreeter::boxed(English), DynGreeter::boxed(French)];
        for greeter in &greeters {
            println!(
                "  through DynGreeter: {:?}",
                greeter.greet_all(vec!["Grace".into()]).await
            );
        }
    });
    // In `Send` mode the companion is `Send + Sync`: a boxed one moves into another thread.
    let greeter: Box<DynGreeter<'static>> = DynGreeter::boxed(French);
    let greeting = std::thread::spawn(move || futures::executor::block_on(greeter.greet("Linus")))
        .join()
        .unwrap_or_default();
    println!("  from another thread: {greeting}\n");
}
