use async_ext::stream;
use futures_core::Stream;

fn names() -> impl Stream<Item = &'static str> {
    stream! {
        let owned = String::from("short-lived");
        yield owned.as_str();
    }
}

fn main() {
    let _ = names();
}
