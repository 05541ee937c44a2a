use async_ext::AsyncDrop;

struct Plain;

#[derive(AsyncDrop)]
struct Conn {
    #[async_drop]
    plain: Plain,
}

fn main() {
    let _ = Conn { plain: Plain }.plain;
}
