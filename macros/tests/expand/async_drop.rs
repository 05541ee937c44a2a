#[async_scope]
async fn handle(#[async_drop] conn: Conn) -> u32 {
    #[async_drop]
    let tx = conn.begin();
    tx.run().await
}
