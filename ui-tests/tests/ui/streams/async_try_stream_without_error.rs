use async_ext::async_try_stream;

#[async_try_stream(ok = u32)]
async fn numbers() {
    yield_!(1);
}

fn main() {
    let _ = numbers();
}
