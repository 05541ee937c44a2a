use async_ext::async_try_stream;

#[async_try_stream(ok = String, error = std::io::Error)]
async fn names() {
    yield_!(String::from("one"));
    yield_!(2);
}

fn main() {
    let _ = names();
}
