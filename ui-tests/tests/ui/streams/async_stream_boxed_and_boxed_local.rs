use async_ext::async_stream;

#[async_stream(item = u32, boxed, boxed_local)]
async fn numbers() {
    yield_!(1);
}

fn main() {
    let _ = numbers();
}
