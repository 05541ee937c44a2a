// The path rustc suggests for a trait of async-ext is its public one, at the crate root
// (`async_ext::AsyncDrop`), never a module users cannot name.
struct Conn;

impl async_ext::AsyncDrop for Conn {
    async fn async_drop(&mut self) {}
}

async fn close(mut conn: Conn) {
    conn.async_drop().await;
}

fn main() {
    let _ = close(Conn);
}
