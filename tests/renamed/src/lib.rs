//! Every attribute and derive macro of async-ext used through a renamed dependency (`ext`),
//! without `crate = …`, nested attributes included: each expansion must name `::ext`, since
//! this crate has no `async_ext` (the tests below check behaviour, not only that it compiles).

use ext::{
    AsyncDrop, Stream, async_scope, async_stream, async_trait_ext, async_try_stream, for_await,
};

/// Boxed mode, with a nested `#[async_stream]` method.
#[async_trait_ext]
pub trait Store {
    async fn get(&self, key: u32) -> Option<u32>;
    #[async_stream(item = u32, boxed)]
    async fn keys(&self, below: u32);
}

/// A store holding the numbers below its bound.
#[derive(Debug)]
pub struct Below(pub u32);

#[async_trait_ext]
impl Store for Below {
    async fn get(&self, key: u32) -> Option<u32> {
        (key < self.0).then_some(key * 10)
    }
    #[async_stream(item = u32, boxed)]
    async fn keys(&self, below: u32) {
        for key in 0..self.0.min(below) {
            yield_!(key);
        }
    }
}

/// Native mode and its companion.
#[async_trait_ext(native)]
pub trait Count {
    async fn count(&self) -> usize;
}

impl Count for Below {
    async fn count(&self) -> usize {
        self.0 as usize
    }
}

/// Sums a stream with a `for await` loop.
#[for_await]
pub async fn sum(numbers: impl Stream<Item = u32>) -> u32 {
    let mut total = 0;
    #[for_await]
    for n in numbers {
        total += n;
    }
    total
}

/// Parses each text, ending at the first error.
#[async_try_stream(ok = u32, error = std::num::ParseIntError)]
pub async fn parse(texts: Vec<&'static str>) {
    for text in texts {
        yield_!(text.parse::<u32>()?);
    }
}

/// A resource that logs its clean-up.
#[derive(Debug)]
pub struct Conn<'a>(pub &'a std::sync::Mutex<Vec<&'static str>>);

impl AsyncDrop for Conn<'_> {
    async fn async_drop(&mut self) {
        self.0.lock().unwrap().push("conn");
    }
}

/// A derived clean-up over a field.
#[derive(AsyncDrop, Debug)]
pub struct Session<'a> {
    /// Cleaned up by the derived impl.
    #[async_drop]
    pub conn: Conn<'a>,
}

/// Cleans up its session when it ends.
#[async_scope]
pub async fn handle(#[async_drop] session: Session<'_>, n: u32) -> u32 {
    let _ = session;
    n + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::StreamExt;
    use futures::executor::block_on;

    #[test]
    fn boxed_trait_and_nested_stream() {
        let store: Box<dyn Store + Send + Sync> = Box::new(Below(3));
        assert_eq!(block_on(store.get(2)), Some(20));
        assert_eq!(block_on(store.get(3)), None);
        assert_eq!(block_on(store.keys(2).collect::<Vec<_>>()), [0, 1]);
    }

    #[test]
    fn native_trait_and_companion() {
        let counter: Box<DynCount<'static>> = DynCount::boxed(Below(4));
        assert_eq!(block_on(counter.count()), 4);
    }

    #[test]
    fn for_await_and_try_stream() {
        assert_eq!(block_on(sum(futures::stream::iter([1, 2, 3]))), 6);
        let parsed: Vec<_> = block_on(parse(vec!["1", "x", "3"]).collect());
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[0], Ok(1));
        assert!(parsed[1].is_err());
    }

    #[test]
    fn scope_and_derive() {
        let log = std::sync::Mutex::new(Vec::new());
        let session = Session { conn: Conn(&log) };
        assert_eq!(block_on(handle(session, 1)), 2);
        assert_eq!(*log.lock().unwrap(), ["conn"]);
    }

    #[test]
    fn function_like_macros() {
        let doubled = ext::stream! {
            for n in 0..3u32 {
                yield n * 2;
            }
        };
        assert_eq!(block_on(doubled.collect::<Vec<_>>()), [0, 2, 4]);
        let add = ext::async_closure!(async |x: u32| x + 1);
        assert_eq!(block_on(ext::AsyncFn::call(&add, (1,))), 2);
    }
}
