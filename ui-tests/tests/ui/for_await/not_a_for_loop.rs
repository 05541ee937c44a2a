use async_ext::for_await;

#[for_await]
async fn spin(mut n: u32) {
    #[for_await]
    while n > 0 {
        n -= 1;
    }
}

fn main() {
    drop(spin(3));
}
