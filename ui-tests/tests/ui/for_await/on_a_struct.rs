use async_ext::for_await;

#[for_await]
struct Numbers(Vec<u32>);

fn main() {
    let _ = Numbers(vec![]);
}
