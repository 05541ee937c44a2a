//! `cargo run --example tour`: every extension of async-ext once, printing what it shows.

mod async_drop;
mod closures;
mod for_await;
mod streams;
mod traits;

fn main() {
    println!("async-ext tour: tomorrow's async Rust on stable today\n");
    traits::run();
    closures::run();
    streams::run();
    for_await::run();
    async_drop::run();
    println!("\ntour finished");
}
