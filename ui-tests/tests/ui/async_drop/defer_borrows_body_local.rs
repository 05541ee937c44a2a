use async_ext::{async_scope, defer_async};

// A deferred future runs after the body's locals are gone: it may borrow parameters, and
// must move the body's locals in (`async move`).
#[async_scope]
async fn handle(name: &str) {
    let greeting = format!("bye {name}");
    defer_async!(async {
        println!("{greeting}");
    });
}

fn main() {
    let _ = handle("x");
}
