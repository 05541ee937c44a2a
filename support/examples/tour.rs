//! `cargo run --example tour`: every extension of async-ext once, printing what it shows.

#[path = "tour/async_drop.rs"]
mod async_drop;
#[path = "tour/closures.rs"]
mod closures;
#[path = "tour/for_await.rs"]
mod for_await;
#[path = "tour/streams.rs"]
mod streams;
#[path = "tour/traits.rs"]
mod traits;
#[path = "tour/traits_native.rs"]
mod traits_native;

fn main() {
    println!("async-ext tour: tomorrow's async Rust on stable today\n");
    traits::run();
    traits_native::run();
    closures::run();
    streams::run();
    for_await::run();
    async_drop::run();
    println!("\ntour finished");
}
