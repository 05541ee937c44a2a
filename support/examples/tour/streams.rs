//! Tour stop: async generators on stable, `stream!`, `try_stream!` and `#[async_stream]`.

use async_ext::{async_stream, stream, try_stream};
use futures::executor::block_on;
use futures::{Stream, StreamExt};

use crate::show::{code, printed, stop};

const SOURCE: &str = include_str!("streams.rs");

// tour: stream
fn fibonacci(count: usize) -> impl Stream<Item = u64> {
    stream! {
        let (mut a, mut b) = (0u64, 1u64);
        for _ in 0..count {
            yield a;
            (a, b) = (b, a + b);
        }
    }
}
// tour: end

// tour: try_stream
fn parse_all(texts: Vec<&'static str>) -> impl Stream<Item = Result<u32, std::num::ParseIntError>> {
    try_stream! {
        for text in texts {
            let n: u32 = text.parse()?;
            yield n;
        }
    }
}
// tour: end

struct Shelf {
    books: Vec<&'static str>,
}

// tour: attribute
impl Shelf {
    #[async_stream(item = &'static str)]
    async fn starting_with(&self, letter: char) {
        #[for_await]
        for book in futures::stream::iter(self.books.iter()) {
            if book.starts_with(letter) {
                yield_!(book);
            }
        }
    }
}
// tour: end

pub(crate) fn run() {
    stop("async generators: `stream! { yield x; }` and `#[async_stream] async fn`");
    code(file!(), SOURCE, "stream");
    // tour: stream
    let numbers: Vec<u64> = block_on(fibonacci(10).collect());
    // tour: end
    printed(format!("{numbers:?}"));

    code(file!(), SOURCE, "for await");
    // tour: for await
    let doubled = stream! {
        for await n in fibonacci(5) {
            yield n * 2;
        }
    };
    let doubled: Vec<u64> = block_on(doubled.collect());
    // tour: end
    printed(format!("{doubled:?}"));

    code(file!(), SOURCE, "try_stream");
    // tour: try_stream
    let parsed: Vec<_> = block_on(parse_all(vec!["7", "12", "x3", "9"]).collect());
    // tour: end
    printed(format!("{parsed:?}"));

    code(file!(), SOURCE, "attribute");
    // tour: attribute
    let shelf = Shelf {
        books: vec!["Dune", "Emma", "Dracula", "Ulysses"],
    };
    let ds: Vec<&str> = block_on(shelf.starting_with('D').collect());
    // tour: end
    printed(format!("{ds:?}"));
    println!();
}
