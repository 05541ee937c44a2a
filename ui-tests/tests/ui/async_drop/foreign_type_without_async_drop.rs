// A type of another crate (here std's) has no `AsyncDrop` impl, and the orphan rule forbids
// writing one here: the error says to wrap it in a newtype.
use async_ext::async_scope;
use std::net::TcpStream;

#[async_scope]
async fn request(addr: std::net::SocketAddr) -> std::io::Result<()> {
    #[async_drop]
    let stream = TcpStream::connect(addr)?;
    let _ = stream;
    Ok(())
}

fn main() {
    let _ = request("127.0.0.1:80".parse().unwrap());
}
