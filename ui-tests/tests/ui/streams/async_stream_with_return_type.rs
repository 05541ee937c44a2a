use async_ext::async_stream;

#[async_stream(item = u32)]
async fn numbers() -> u32 {
    yield_!(1);
}

fn main() {
    let _ = numbers();
}
