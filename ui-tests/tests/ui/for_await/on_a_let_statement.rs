use async_ext::for_await;

#[for_await]
async fn f() -> u32 {
    #[for_await]
    let x = 1;
    x
}

fn main() {
    drop(f());
}
