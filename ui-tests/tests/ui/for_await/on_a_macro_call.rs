use async_ext::for_await;

#[for_await]
async fn f() {
    #[for_await]
    println!("hello");
}

fn main() {
    drop(f());
}
