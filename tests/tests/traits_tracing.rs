//! `#[tracing::instrument]` on the methods `#[async_trait_ext]` rewrites: the span must be
//! entered each time the returned future is polled (so events in the body sit inside it, at
//! the right depth, with the arguments as fields), not only while the future is made. tracing
//! recognises that shape for async-trait's expansions; these tests use a real subscriber.

use async_ext::async_trait_ext;
use async_ext_tests::tracing_recorder::{Recorder, Seen};
use async_ext_tests::yield_now;
use futures::executor::block_on;
use tracing::Instrument;

/// A span as the recorder renders it: `name{field=value,…}`, fields in declaration order.
fn span(name: &str, fields: &[(&str, &str)]) -> String {
    let pairs: Vec<String> = fields
        .iter()
        .map(|(field, value)| format!("{field}={value}"))
        .collect();
    format!("{name}{{{}}}", pairs.join(","))
}

/// The events of one call made inside an `outer` span: the method's span must sit under
/// `outer` for the event after the suspension point too.
fn expect_inside(seen: &[Seen], method: &str, args: &[(&str, &str)]) {
    let expected_spans = vec![span("outer", &[]), span(method, args)];
    assert_eq!(seen.len(), 2, "{seen:#?}");
    assert_eq!(seen[0].message, "before the await");
    assert_eq!(seen[1].message, "after the await");
    for event in seen {
        assert_eq!(event.spans, expected_spans, "{seen:#?}");
    }
}

#[async_trait_ext]
trait Service {
    async fn call(&self, id: u32, label: &str) -> u32;
    #[tracing::instrument(skip(self))]
    async fn ready(&self, attempt: u8) -> bool {
        tracing::info!("before the await");
        yield_now().await;
        tracing::info!("after the await");
        attempt > 0
    }
}

#[async_trait_ext(?Send)]
trait LocalService {
    async fn call(&self, id: u32) -> u32;
}

#[async_trait_ext(native)]
trait NativeService {
    #[tracing::instrument(skip(self))]
    async fn size(&self, limit: u32) -> u32 {
        tracing::info!("before the await");
        yield_now().await;
        tracing::info!("after the await");
        limit
    }
    async fn call(&self, id: u32) -> u32;
}

struct Server;

#[async_trait_ext]
impl Service for Server {
    #[tracing::instrument(skip(self))]
    async fn call(&self, id: u32, label: &str) -> u32 {
        tracing::info!("before the await");
        yield_now().await;
        tracing::info!("after the await");
        id + u32::try_from(label.len()).unwrap_or_default()
    }
}

#[async_trait_ext(?Send)]
impl LocalService for Server {
    #[tracing::instrument(skip(self))]
    async fn call(&self, id: u32) -> u32 {
        tracing::info!("before the await");
        yield_now().await;
        tracing::info!("after the await");
        id * 2
    }
}

impl NativeService for Server {
    #[tracing::instrument(skip(self))]
    async fn call(&self, id: u32) -> u32 {
        tracing::info!("before the await");
        yield_now().await;
        tracing::info!("after the await");
        id * 3
    }
}

/// Makes the future first, outside any span, then awaits it inside `outer`: a span entered
/// only while the future is made would not be under `outer`, and would miss both events.
fn call_inside_outer<F: std::future::Future>(make: impl FnOnce() -> F) -> (F::Output, Vec<Seen>) {
    let mut output = None;
    let seen = Recorder::record(|| {
        let future = make();
        output = Some(block_on(future.instrument(tracing::info_span!("outer"))));
    });
    (output.expect("the future ran"), seen)
}

#[test]
fn boxed_impl_method() {
    let (value, seen) = call_inside_outer(|| Service::call(&Server, 5, "ab"));
    assert_eq!(value, 7);
    expect_inside(&seen, "call", &[("id", "5"), ("label", "\"ab\"")]);
}

#[test]
fn boxed_default_body() {
    let (value, seen) = call_inside_outer(|| Server.ready(1));
    assert!(value);
    expect_inside(&seen, "ready", &[("attempt", "1")]);
}

#[test]
fn boxed_local_impl_method() {
    let (value, seen) = call_inside_outer(|| LocalService::call(&Server, 4));
    assert_eq!(value, 8);
    expect_inside(&seen, "call", &[("id", "4")]);
}

#[test]
fn boxed_through_dyn() {
    let object: Box<dyn Service + Sync> = Box::new(Server);
    let (value, seen) = call_inside_outer(|| object.call(1, "x"));
    assert_eq!(value, 2);
    expect_inside(&seen, "call", &[("id", "1"), ("label", "\"x\"")]);
}

#[test]
fn native_default_body_and_impl_method() {
    let (value, seen) = call_inside_outer(|| Server.size(9));
    assert_eq!(value, 9);
    expect_inside(&seen, "size", &[("limit", "9")]);
    let (value, seen) = call_inside_outer(|| NativeService::call(&Server, 2));
    assert_eq!(value, 6);
    expect_inside(&seen, "call", &[("id", "2")]);
}

#[test]
fn native_through_the_companion() {
    let server = Server;
    let object = DynNativeService::from_ref(&server);
    let (value, seen) = call_inside_outer(|| object.size(3));
    assert_eq!(value, 3);
    expect_inside(&seen, "size", &[("limit", "3")]);
}

/// Generator methods: `#[tracing::instrument]` goes after `#[async_stream]`, whose expansion
/// carries the span into every poll of the stream.
mod streams {
    use super::{Recorder, Seen, async_trait_ext, block_on, span, yield_now};
    use async_ext::{Stream, async_stream};
    use futures::StreamExt;

    #[async_trait_ext]
    pub(super) trait BoxedNumbers {
        #[async_stream(item = u32, boxed)]
        async fn numbers(&self, from: u32);
    }

    #[async_trait_ext(native, dyn = none)]
    pub(super) trait NativeNumbers {
        #[async_stream(item = u32)]
        #[tracing::instrument(skip(self))]
        async fn numbers(&self, from: u32) {
            tracing::info!("before the await");
            yield_!(from);
            yield_now().await;
            tracing::info!("after the await");
            yield_!(from + 1);
        }
    }

    pub(super) struct Counter;

    #[async_trait_ext]
    impl BoxedNumbers for Counter {
        #[async_stream(item = u32, boxed)]
        #[tracing::instrument(skip(self))]
        async fn numbers(&self, from: u32) {
            tracing::info!("before the await");
            yield_!(from);
            yield_now().await;
            tracing::info!("after the await");
            yield_!(from + 1);
        }
    }

    impl NativeNumbers for Counter {}

    /// No trait around it: the standalone attribute on an inherent method.
    pub(super) struct Plain;

    impl Plain {
        #[async_stream(item = u32)]
        #[tracing::instrument(skip(self))]
        async fn numbers(&self, from: u32) {
            tracing::info!("before the await");
            yield_!(from);
            yield_now().await;
            tracing::info!("after the await");
            yield_!(from + 1);
        }
    }

    /// Makes the stream inside `outer`, then drains it outside any span: each event must still
    /// be inside the method's span, itself inside `outer` where it was made.
    fn drain_outside<S: Stream<Item = u32>>(make: impl FnOnce() -> S) -> (Vec<u32>, Vec<Seen>) {
        let mut items = Vec::new();
        let seen = Recorder::record(|| {
            let stream = tracing::info_span!("outer").in_scope(make);
            items = block_on(stream.collect());
        });
        (items, seen)
    }

    fn expect_inside_made(seen: &[Seen], from: &str) {
        let expected = vec![span("outer", &[]), span("numbers", &[("from", from)])];
        assert_eq!(seen.len(), 2, "{seen:#?}");
        assert_eq!(seen[0].message, "before the await");
        assert_eq!(seen[1].message, "after the await");
        for event in seen {
            assert_eq!(event.spans, expected, "{seen:#?}");
        }
    }

    #[test]
    fn boxed_stream_method() {
        let (items, seen) = drain_outside(|| BoxedNumbers::numbers(&Counter, 3));
        assert_eq!(items, [3, 4]);
        expect_inside_made(&seen, "3");
    }

    #[test]
    fn native_stream_method() {
        let (items, seen) = drain_outside(|| NativeNumbers::numbers(&Counter, 7));
        assert_eq!(items, [7, 8]);
        expect_inside_made(&seen, "7");
    }

    #[test]
    fn inherent_stream_method() {
        let (items, seen) = drain_outside(|| Plain.numbers(11));
        assert_eq!(items, [11, 12]);
        expect_inside_made(&seen, "11");
    }
}
