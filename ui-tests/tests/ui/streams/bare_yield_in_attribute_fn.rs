use async_ext::async_stream;

#[async_stream(item = u32)]
async fn numbers(limit: u32) {
    for i in 0..limit {
        yield i;
    }
}

fn main() {
    let _ = numbers(3);
}
