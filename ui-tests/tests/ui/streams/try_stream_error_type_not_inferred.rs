// Nothing fixes the error type of `?`: rustc asks for it. The fix is the header,
// `try_stream!(<u32, std::num::ParseIntError> { … })` (see the guide).
use async_ext::try_stream;
use futures_core::Stream;

fn consume(_: impl Stream) {}

fn main() {
    consume(try_stream! {
        let n: u32 = "1".parse()?;
        yield n;
    });
}
