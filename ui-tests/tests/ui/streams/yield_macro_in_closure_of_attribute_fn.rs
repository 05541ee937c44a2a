use async_ext::async_stream;

#[async_stream(item = u32)]
async fn numbers(limit: u32) {
    (0..limit).for_each(|n| {
        yield_!(n);
    });
}

fn main() {
    let _ = numbers(3);
}
