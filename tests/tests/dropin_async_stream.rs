//! Drop-in for async-stream: the shapes async-stream's own suite checks, written as our own
//! cases, one module each; `use async_ext::{stream, try_stream}` is the only difference from
//! async-stream code.

use async_ext::{stream, try_stream};
use futures::executor::block_on;
use futures::stream::{Stream, StreamExt};

fn collect<S: Stream>(s: S) -> Vec<S::Item> {
    block_on(s.collect())
}

/// A body without `yield` is a stream of `()`, as with async-stream.
mod no_yield {
    use super::*;

    #[test]
    fn an_empty_stream_of_unit() {
        let items: Vec<()> = collect(stream! {});
        assert!(items.is_empty());
    }

    #[test]
    fn a_try_stream_reports_its_error() {
        let failing = try_stream! {
            Err::<(), u8>(4)?;
        };
        let items: Vec<Result<(), u8>> = collect(failing);
        assert_eq!(items, [Err(4)]);
    }
}

/// `line!()` inside the body reports the line it is written on: the body's tokens keep their
/// spans (async-stream's `spans_preserved`).
mod spans_preserved {
    use super::*;

    #[test]
    fn line_inside_the_body() {
        let outer = line!();
        let s = stream! {
            yield line!();
            yield line!();
        };
        assert_eq!(collect(s), [outer + 2, outer + 3]);
    }
}
