use async_ext::async_stream;

#[async_stream]
async fn numbers() {
    yield_!(1);
}

fn main() {
    let _ = numbers();
}
