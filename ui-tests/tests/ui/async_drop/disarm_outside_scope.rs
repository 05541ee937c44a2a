use async_ext::disarm;

async fn handle(conn: u32) -> u32 {
    disarm!(conn)
}

fn main() {
    let _ = handle(1);
}
