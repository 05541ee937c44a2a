#[async_stream(item = u32)]
async fn evens(limit: u32) {
    for i in (0..limit).step_by(2) {
        yield_!(i);
    }
}
