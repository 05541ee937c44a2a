use async_ext::AsyncDrop;

#[derive(AsyncDrop)]
#[async_drop]
struct Conn {
    open: bool,
}

fn main() {
    let _ = Conn { open: true }.open;
}
