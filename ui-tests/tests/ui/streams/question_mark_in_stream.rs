use async_ext::stream;
use futures_core::Stream;

fn parse_all(texts: Vec<&'static str>) -> impl Stream<Item = u32> {
    stream! {
        for text in texts {
            let n: u32 = text.parse()?;
            yield n;
        }
    }
}

fn main() {
    let _ = parse_all(vec!["1"]);
}
