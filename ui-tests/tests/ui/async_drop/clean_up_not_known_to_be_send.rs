// Generic code that must stay `Send` bounds its values by `AsyncDropSend`; a derived type
// without `#[async_drop(send)]` has only `AsyncDrop`.
use async_ext::{AsyncDrop, AsyncDropSend};

struct Socket;
impl AsyncDrop for Socket {
    async fn async_drop(&mut self) {}
}

#[derive(AsyncDrop)]
struct Conn {
    #[async_drop]
    socket: Socket,
}

// Say, a pool whose clean-up task runs on a multi-threaded runtime.
fn give_back<T: AsyncDropSend + Send + 'static>(resource: T) {
    let _ = resource;
}

fn main() {
    give_back(Conn { socket: Socket });
}
