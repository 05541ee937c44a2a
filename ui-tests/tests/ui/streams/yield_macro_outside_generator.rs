async fn not_a_generator() {
    async_ext::yield_!(1);
}

fn main() {
    let _ = not_a_generator();
}
