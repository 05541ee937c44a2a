//! `cargo run --example tour`: every extension of async-ext once. Each step shows the lines of
//! code it runs and where they are (`file:line`), then what they printed. `cargo test` runs
//! it too (support/Cargo.toml sets `test = true`), so a step that breaks or a marker renamed on
//! one side only fails the tests.

#[path = "tour/async_drop.rs"]
mod async_drop;
#[path = "tour/closures.rs"]
mod closures;
#[path = "tour/for_await.rs"]
mod for_await;
#[path = "tour/show.rs"]
mod show;
#[path = "tour/streams.rs"]
mod streams;
#[path = "tour/traits.rs"]
mod traits;
#[path = "tour/traits_native.rs"]
mod traits_native;

fn main() {
    println!("async-ext tour: tomorrow's async Rust on stable today");
    println!("(each step: the code it runs, at file:line, then `=>` and what it printed)\n");
    traits::run();
    traits_native::run();
    closures::run();
    streams::run();
    for_await::run();
    async_drop::run();
    println!("\ntour finished");
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_tour_runs_and_shows_every_marked_region() {
        super::main();
        assert_eq!(super::show::unshown_markers(), Vec::<String>::new());
    }
}
