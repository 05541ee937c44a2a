//! Tour stop: native-mode traits: plain `async fn` impls, `Send` futures, and the `Dyn`
//! companion for dynamic dispatch.

use async_ext::async_trait_ext;

use crate::show::{code, printed, stop};

const SOURCE: &str = include_str!("traits_native.rs");

// tour: trait
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
// tour: end

impl Greeter for French {
    async fn greet(&self, name: &str) -> String {
        format!("bonjour, {name}")
    }
}

pub(crate) fn run() {
    stop("native traits: `#[async_trait_ext(native)]` on the trait, plain `async fn` impls");
    code(file!(), SOURCE, "trait");
    futures::executor::block_on(async {
        code(file!(), SOURCE, "static");
        // tour: static
        let greeting = English.greet("Ada").await; // static dispatch: no `Box`
        // tour: end
        printed(greeting);
        code(file!(), SOURCE, "companion");
        // tour: companion
        let greeters: Vec<Box<DynGreeter<'static>>> =
            vec![DynGreeter::boxed(English), DynGreeter::boxed(French)];
        let mut greetings = Vec::new();
        for greeter in &greeters {
            greetings.extend(greeter.greet_all(vec!["Grace".into()]).await);
        }
        // tour: end
        greetings.into_iter().for_each(printed);
    });
    code(file!(), SOURCE, "thread");
    // tour: thread
    // In `Send` mode the companion is `Send + Sync`: a boxed one moves into another thread.
    let greeter: Box<DynGreeter<'static>> = DynGreeter::boxed(French);
    let greeting = std::thread::spawn(move || futures::executor::block_on(greeter.greet("Linus")))
        .join()
        .unwrap_or_default();
    // tour: end
    printed(greeting);
    println!();
}
