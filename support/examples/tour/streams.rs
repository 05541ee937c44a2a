//! Tour stop: async generators on stable, `stream!`, `try_stream!` and `#[async_stream]`.

use async_ext::{async_stream, stream, try_stream};
use futures::executor::block_on;
use futures::{Stream, StreamExt};

fn fibonacci(count: usize) -> impl Stream<Item = u64> {
    stream! {
        let (mut a, mut b) = (0u64, 1u64);
        for _ in 0..count {
            yield a;
            (a, b) = (b, a + b);
        }
    }
}

fn parse_all(texts: Vec<&'static str>) -> impl Stream<Item = Result<u32, std::num::ParseIntError>> {
    try_stream! {
        for text in texts {
            let n: u32 = text.parse()?;
            yield n;
        }
    }
}

struct Shelf {
    books: Vec<&'static str>,
}

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

pub(crate) fn run() {
    println!("async generators: `stream! {{ yield x; }}` and `#[async_stream] async fn`");
    let numbers: Vec<u64> = block_on(fibonacci(10).collect());
    println!("  stream! fibonacci(10): {numbers:?}");
    let doubled = stream! {
        for await n in fibonacci(5) {
            yield n * 2;
        }
    };
    println!(
        "  for await over it, doubled: {:?}",
        block_on(doubled.collect::<Vec<_>>())
    );
    let parsed: Vec<_> = block_on(parse_all(vec!["7", "12", "x3", "9"]).collect());
    println!("  try_stream! with `?`: {parsed:?} (the error ends the stream)");
    let shelf = Shelf {
        books: vec!["Dune", "Emma", "Dracula", "Ulysses"],
    };
    let ds: Vec<&str> = block_on(shelf.starting_with('D').collect());
    println!("  #[async_stream] method borrowing &self: {ds:?}");
    println!("  (no allocation per stream or per item; Send exactly when the state is)\n");
}
