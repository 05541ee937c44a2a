use async_ext::async_stream;

#[async_stream(item = u32)]
async fn numbers() {
    yield_!(1);
    yield_!("two");
}

fn main() {
    let _ = numbers();
}
