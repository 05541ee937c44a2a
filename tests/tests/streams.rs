//! Behaviour of `stream!`, `try_stream!`, `#[async_stream]`, `#[async_try_stream]`: the items
//! produced, `?`, `for await`, the attribute forms, `Send`, allocations, drops, and the
//! attacks the runtime's `unsafe` module must survive (see `guide::soundness`).

use std::cell::Cell;
use std::pin::{Pin, pin};
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::Poll;

use async_ext::{async_stream, async_try_stream, stream, try_stream};
use async_ext_tests::{CountingAllocator, Log, count_allocations, poll_once, yield_now};
use futures::executor::block_on;
use futures::stream::FusedStream;
use futures::{Stream, StreamExt};

#[global_allocator]
static ALLOC: CountingAllocator = CountingAllocator;

fn collect<S: Stream>(stream: S) -> Vec<S::Item> {
    block_on(stream.collect())
}

/// Polls a pinned stream once with a no-op waker.
fn poll_next<S: Stream + ?Sized>(stream: Pin<&mut S>) -> Poll<Option<S::Item>> {
    poll_once(pin!(async_ext::__private::next(stream)))
}

/// Counts drops; clones share the counter.
#[derive(Clone, Debug)]
struct DropCounter(Arc<AtomicUsize>);

impl DropCounter {
    fn new() -> Self {
        DropCounter(Arc::new(AtomicUsize::new(0)))
    }
    fn token(&self) -> DropToken {
        DropToken(Arc::clone(&self.0))
    }
    fn dropped(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

#[derive(Debug)]
struct DropToken(Arc<AtomicUsize>);

impl Drop for DropToken {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

// Autoref specialisation: `is_send!(value)` is true exactly when the value's type is `Send`.
struct SendProbe<T>(std::marker::PhantomData<T>);
trait IsSend {
    fn is_send(&self) -> bool {
        true
    }
}
impl<T: Send> IsSend for SendProbe<T> {}
trait NotSend {
    fn is_send(&self) -> bool {
        false
    }
}
impl<T> NotSend for &SendProbe<T> {}
fn probe<T>(_: &T) -> SendProbe<T> {
    SendProbe(std::marker::PhantomData)
}
macro_rules! is_send {
    ($value:expr) => {
        (&probe(&$value)).is_send()
    };
}

mod macro_form {
    use super::*;

    #[test]
    fn yields_items_in_order() {
        let numbers = stream! {
            for i in 0..4u32 {
                yield i * i;
            }
        };
        assert_eq!(collect(numbers), [0, 1, 4, 9]);
    }

    #[test]
    fn an_empty_body_ends_at_once() {
        let nothing = stream!(<u8> {});
        assert_eq!(collect(nothing), Vec::<u8>::new());
    }

    #[test]
    fn awaits_between_yields_really_suspend() {
        let log = Log::default();
        let body_log = log.clone();
        let mut numbers = pin!(stream! {
            body_log.push("start");
            yield_now().await;
            body_log.push("after await");
            yield 1u8;
            body_log.push("resumed");
            yield_now().await;
            yield 2;
        });
        assert_eq!(poll_next(numbers.as_mut()), Poll::Pending);
        assert_eq!(log.events(), ["start"]);
        assert_eq!(poll_next(numbers.as_mut()), Poll::Ready(Some(1)));
        assert_eq!(poll_next(numbers.as_mut()), Poll::Pending);
        assert_eq!(poll_next(numbers.as_mut()), Poll::Ready(Some(2)));
        assert_eq!(poll_next(numbers.as_mut()), Poll::Ready(None));
        assert_eq!(log.events(), ["start", "after await", "resumed"]);
    }

    #[test]
    fn nothing_runs_before_the_first_poll() {
        let log = Log::default();
        let body_log = log.clone();
        let numbers = stream! {
            body_log.push("body");
            yield 1u8;
        };
        assert!(log.events().is_empty());
        assert_eq!(collect(numbers), [1]);
        assert_eq!(log.events(), ["body"]);
    }

    #[test]
    fn for_await_loops_over_another_stream() {
        let inner = stream! { for i in 1..=6u32 { yield i; } };
        let doubled_odds = stream! {
            'outer: for await x in inner {
                if x % 2 == 0 {
                    continue;
                }
                for await y in futures::stream::iter([x * 2]) {
                    if y > 8 {
                        break 'outer;
                    }
                    yield y;
                }
            }
            yield 0;
        };
        assert_eq!(collect(doubled_odds), [2, 6, 0]);
    }

    #[test]
    fn for_await_takes_a_stream_by_mut_reference() {
        let mut source = futures::stream::iter([1u8, 2, 3]);
        // The body is `async move`, as in async-stream: borrow outside, move the borrow in.
        let borrowed = &mut source;
        let first_two = stream! {
            let mut seen = 0;
            for await x in borrowed {
                yield x;
                seen += 1;
                if seen == 2 {
                    break;
                }
            }
        };
        assert_eq!(collect(first_two), [1, 2]);
        assert_eq!(block_on(source.next()), Some(3));
    }

    #[test]
    fn yield_macro_works_inside_stream_too() {
        let numbers = stream! {
            yield 1u8;
            async_ext::yield_!(2);
        };
        assert_eq!(collect(numbers), [1, 2]);
    }

    #[test]
    fn return_ends_the_stream() {
        let numbers = stream! {
            for i in 0u8.. {
                if i == 3 {
                    return;
                }
                yield i;
            }
        };
        assert_eq!(collect(numbers), [0, 1, 2]);
        let results = try_stream!(<u8, String> {
            yield 1;
            return;
        });
        assert_eq!(collect(results), [Ok(1)]);
    }

    #[test]
    fn nested_generators_yield_into_their_own_stream() {
        let outer = stream! {
            yield "outer 1".to_string();
            let inner = stream! {
                yield 10u32;
                yield 20;
            };
            for await x in inner {
                yield format!("inner {x}");
            }
            yield "outer 2".to_string();
        };
        assert_eq!(
            collect(outer),
            ["outer 1", "inner 10", "inner 20", "outer 2"]
        );
    }

    #[test]
    fn the_item_type_can_be_named_in_front() {
        let mut numbers = pin!(stream!(<u64> {
            yield 1;
            yield 2;
        }));
        // Nothing else fixes the item type: without `<u64>` this would not infer.
        assert_eq!(poll_next(numbers.as_mut()), Poll::Ready(Some(1)));
        let _ = stream!(<Vec<u8>> { yield vec![1]; });
    }

    #[test]
    fn a_body_starting_with_a_qualified_path_is_not_a_type_header() {
        let numbers = stream! {
            <u32 as Default>::default();
            yield <u32 as From<u8>>::from(7);
        };
        assert_eq!(collect(numbers), [7]);
    }

    fn numbers_up_to(n: u32) -> impl Stream<Item = u32> {
        stream! {
            for i in 0..n {
                yield i;
            }
        }
    }

    fn words<'a>(text: &'a str, min_len: &'a usize) -> impl Stream<Item = &'a str> + 'a {
        stream! {
            for word in text.split(' ') {
                if word.len() >= *min_len {
                    yield word;
                }
            }
        }
    }

    #[test]
    fn streams_returned_from_fns_may_borrow_arguments() {
        assert_eq!(collect(numbers_up_to(3)), [0, 1, 2]);
        let text = String::from("a quick brown fox");
        let min = 4;
        assert_eq!(collect(words(&text, &min)), ["quick", "brown"]);
    }
}

mod try_form {
    use super::*;

    #[derive(Debug, PartialEq)]
    enum AppError {
        Parse(String),
        Other(&'static str),
    }

    impl From<std::num::ParseIntError> for AppError {
        fn from(error: std::num::ParseIntError) -> Self {
            AppError::Parse(error.to_string())
        }
    }

    fn parse_all(texts: &[&'static str]) -> impl Stream<Item = Result<u32, AppError>> {
        try_stream! {
            for text in texts {
                let n: u32 = text.parse()?;
                yield n;
            }
        }
    }

    #[test]
    fn question_mark_converts_with_from_and_ends_the_stream() {
        let log = Log::default();
        let body_log = log.clone();
        let items = collect(
            try_stream! {
                for text in ["1", "2", "x", "4"] {
                    let n: u32 = text.parse::<u32>()?;
                    body_log.push(format!("parsed {n}"));
                    yield n;
                }
                body_log.push("end of body");
            }
            .map(|item: Result<u32, AppError>| item),
        );
        assert_eq!(
            items,
            [
                Ok(1),
                Ok(2),
                Err(AppError::Parse("invalid digit found in string".into()))
            ]
        );
        assert_eq!(log.events(), ["parsed 1", "parsed 2"]);
    }

    #[test]
    fn a_stream_without_errors_yields_only_oks() {
        assert_eq!(collect(parse_all(&["5", "6"])), [Ok(5), Ok(6)]);
        assert_eq!(collect(parse_all(&[])), []);
    }

    #[test]
    fn the_stream_ends_after_the_error() {
        let mut items = pin!(parse_all(&["x", "1"]));
        assert!(matches!(
            poll_next(items.as_mut()),
            Poll::Ready(Some(Err(AppError::Parse(_))))
        ));
        assert_eq!(poll_next(items.as_mut()), Poll::Ready(None));
        assert_eq!(poll_next(items.as_mut()), Poll::Ready(None));
    }

    #[test]
    fn a_question_mark_in_a_nested_closure_or_async_block_is_theirs() {
        let items = collect(try_stream!(<u32, AppError> {
            let parse = |text: &str| -> Result<u32, std::num::ParseIntError> {
                let n = text.parse::<u32>()?;
                Ok(n + 1)
            };
            // The closure's `?` returns from the closure: the stream goes on.
            yield parse("x").unwrap_or(100);
            yield parse("1").unwrap_or(100);
            let checked = async { Err::<u32, &'static str>("inner")? ; Ok::<u32, &'static str>(0) }.await;
            yield checked.unwrap_or(200);
            Err(AppError::Other("outer"))?;
            yield 300;
        }));
        assert_eq!(
            items,
            [Ok(100), Ok(2), Ok(200), Err(AppError::Other("outer"))]
        );
    }

    #[test]
    fn the_error_type_can_be_named_in_front() {
        // Nothing but the header says what the error is.
        let mut items = pin!(try_stream!(<_, std::io::Error> {
            let n: u8 = 3;
            yield n;
            Err(std::io::Error::other("disk"))?;
        }));
        assert!(matches!(
            poll_next(items.as_mut()),
            Poll::Ready(Some(Ok(3)))
        ));
        match poll_next(items.as_mut()) {
            Poll::Ready(Some(Err(error))) => assert_eq!(error.to_string(), "disk"),
            other => panic!("expected the error, got {other:?}"),
        }
        assert!(matches!(poll_next(items.as_mut()), Poll::Ready(None)));
    }

    #[test]
    fn for_await_and_question_mark_together() {
        let source = stream! {
            yield "7";
            yield "eight";
        };
        let parsed = try_stream!(<u32, AppError> {
            for await text in source {
                yield text.parse::<u32>()?;
            }
        });
        let items = collect(parsed);
        assert_eq!(items.len(), 2);
        assert_eq!(items[0], Ok(7));
        assert!(matches!(items[1], Err(AppError::Parse(_))));
    }
}

mod attribute_form {
    use super::*;

    // An explicit `-> ()` means what no return type means (futures-async-stream accepts it).
    #[async_stream(item = u32)]
    async fn countdown(from: u32) -> () {
        for i in (1..=from).rev() {
            yield_!(i);
        }
    }

    #[async_try_stream(ok = u8, error = String)]
    async fn one_then_error() -> () {
        yield_!(1);
        Err(String::from("stop"))?;
    }

    #[test]
    fn an_explicit_unit_return_type_is_accepted() {
        assert_eq!(collect(countdown(3)), [3, 2, 1]);
        assert_eq!(
            collect(one_then_error()),
            [Ok(1), Err(String::from("stop"))]
        );
    }

    #[async_stream(item = u32)]
    async fn evens(limit: u32) {
        for i in (0..limit).step_by(2) {
            yield_!(i);
        }
    }

    #[async_try_stream(ok = u32, error = String)]
    async fn parse_all(texts: Vec<&'static str>) {
        for text in texts {
            let n: u32 = text.parse().map_err(|_| format!("bad {text}"))?;
            yield_!(n);
        }
    }

    #[derive(Debug, PartialEq)]
    struct ParseError(String);

    impl From<std::num::ParseIntError> for ParseError {
        fn from(error: std::num::ParseIntError) -> Self {
            ParseError(error.to_string())
        }
    }

    #[async_try_stream(ok = u32, error = ParseError)]
    async fn parse_with_from(texts: &[&str]) {
        for text in texts {
            yield_!(text.parse::<u32>()?);
        }
    }

    #[async_stream(item = u32)]
    async fn sum_pairs(pairs: impl Stream<Item = (u32, u32)>) {
        #[for_await]
        for (a, b) in pairs {
            yield_!(a + b);
        }
    }

    #[async_stream(item = T)]
    async fn repeat<T>(value: T, times: usize)
    where
        T: Clone,
    {
        for _ in 0..times {
            yield_!(value.clone());
        }
    }

    #[async_stream(item = u8)]
    async fn patterns((a, b): (u8, u8), mut extra: u8, _: DropToken) {
        yield_!(a);
        yield_!(b);
        extra += 1;
        yield_!(extra);
    }

    #[async_stream(item = u32, crate = ::async_ext)]
    async fn renamed_crate_path() {
        yield_!(1);
    }

    #[async_stream(item = String)]
    async fn with_a_nested_generator(limit: u32) {
        let inner = stream! {
            for i in 0..limit {
                yield i;
            }
        };
        yield_!("start".to_string());
        #[for_await]
        for i in inner {
            yield_!(format!("inner {i}"));
        }
    }

    #[test]
    fn a_generator_nested_in_an_attribute_fn_yields_into_its_own_stream() {
        assert_eq!(
            collect(with_a_nested_generator(2)),
            ["start", "inner 0", "inner 1"]
        );
    }

    #[test]
    fn a_free_fn_yields_its_items() {
        assert_eq!(collect(evens(7)), [0, 2, 4, 6]);
        assert_eq!(collect(repeat("x", 3)), ["x", "x", "x"]);
        assert_eq!(collect(renamed_crate_path()), [1]);
    }

    #[test]
    fn the_try_form_uses_native_question_mark() {
        assert_eq!(
            collect(parse_all(vec!["1", "x", "2"])),
            [Ok(1), Err("bad x".to_string())]
        );
        assert_eq!(
            collect(parse_with_from(&["4", "-1", "5"])),
            [
                Ok(4),
                Err(ParseError("invalid digit found in string".into()))
            ]
        );
    }

    #[test]
    fn for_await_loops_are_rewritten_in_the_body() {
        let pairs = futures::stream::iter([(1, 2), (10, 20)]);
        assert_eq!(collect(sum_pairs(pairs)), [3, 30]);
    }

    #[test]
    fn pattern_arguments_bind_and_every_argument_lives_as_long_as_the_stream() {
        let counter = DropCounter::new();
        let numbers = patterns((1, 2), 6, counter.token());
        // The unused `_` argument moved into the stream, like an `async fn`'s argument.
        assert_eq!(counter.dropped(), 0);
        assert_eq!(collect(numbers), [1, 2, 7]);
        assert_eq!(counter.dropped(), 1);
    }

    struct Library {
        titles: Vec<String>,
    }

    impl Library {
        #[async_stream(item = &str)]
        async fn starting_with(&self, prefix: &str) {
            for title in &self.titles {
                if title.starts_with(prefix) {
                    yield_!(title.as_str());
                }
            }
        }

        #[async_stream(item = usize, boxed)]
        async fn lengths(&self) {
            for title in &self.titles {
                yield_nothing().await;
                yield_!(title.len());
            }
        }

        #[async_stream(item = String, boxed_local)]
        async fn shared(self: Rc<Self>) {
            for title in &self.titles {
                yield_!(title.clone());
            }
        }

        #[async_try_stream(ok = usize, error = String, boxed)]
        async fn checked_lengths(&mut self, limit: usize) {
            for title in &mut self.titles {
                title.push('!');
                if title.len() > limit {
                    Err(format!("{title} is too long"))?;
                }
                yield_!(title.len());
            }
        }
    }

    async fn yield_nothing() {
        futures::future::ready(()).await;
    }

    fn library() -> Library {
        Library {
            titles: vec!["Dune".into(), "Emma".into(), "Dracula".into()],
        }
    }

    #[test]
    fn methods_borrow_self_and_arguments() {
        let library = library();
        let prefix = String::from("D");
        assert_eq!(collect(library.starting_with(&prefix)), ["Dune", "Dracula"]);
        assert_eq!(collect(library.lengths()), [4, 4, 7]);
        let boxed: Pin<Box<dyn Stream<Item = usize> + Send + '_>> = library.lengths();
        assert_eq!(collect(boxed), [4, 4, 7]);
        assert_eq!(
            collect(Rc::new(library).shared()),
            ["Dune", "Emma", "Dracula"]
        );
    }

    #[test]
    fn a_boxed_try_method_may_take_mut_self() {
        let mut library = library();
        assert_eq!(
            collect(library.checked_lengths(5)),
            [Ok(5), Ok(5), Err("Dracula! is too long".to_string())]
        );
        assert_eq!(library.titles, ["Dune!", "Emma!", "Dracula!"]);
    }

    /// A trait whose methods are generators, declared without bodies: the attribute turns
    /// each declaration into a method returning the stream type, the impls agree.
    trait Source {
        #[async_stream(item = u32)]
        async fn evens(&self, n: u32);

        #[async_stream(item = u32, boxed)]
        async fn boxed_evens(&self, n: u32);

        #[async_stream(item = String)]
        async fn labelled(&self, n: u32) {
            #[for_await]
            for x in self.evens(n) {
                yield_!(format!("#{x}"));
            }
        }
    }

    struct Stepper(u32);

    impl Source for Stepper {
        #[async_stream(item = u32)]
        async fn evens(&self, n: u32) {
            for i in 0..n {
                yield_!(i * self.0);
            }
        }

        #[async_stream(item = u32, boxed)]
        async fn boxed_evens(&self, n: u32) {
            for i in 0..n {
                yield_!(i * self.0);
            }
        }
    }

    #[test]
    fn trait_methods_with_and_without_default_bodies() {
        let stepper = Stepper(2);
        assert_eq!(collect(stepper.evens(3)), [0, 2, 4]);
        assert_eq!(collect(stepper.labelled(2)), ["#0", "#2"]);
        let boxed: Pin<Box<dyn Stream<Item = u32> + Send + '_>> = stepper.boxed_evens(3);
        assert_eq!(collect(boxed), [0, 3 - 1, 4]);
    }

    /// `boxed` makes a generator method dyn-compatible.
    trait DynSource {
        #[async_stream(item = u32, boxed)]
        async fn numbers(&self);
    }

    impl DynSource for Stepper {
        #[async_stream(item = u32, boxed)]
        async fn numbers(&self) {
            yield_!(self.0);
            yield_!(self.0 + 1);
        }
    }

    #[test]
    fn boxed_trait_methods_work_through_dyn() {
        let sources: Vec<Box<dyn DynSource + Send + Sync>> =
            vec![Box::new(Stepper(1)), Box::new(Stepper(10))];
        let all: Vec<u32> = sources
            .iter()
            .flat_map(|source| collect(source.numbers()))
            .collect();
        assert_eq!(all, [1, 2, 10, 11]);
    }

    #[test]
    fn boxed_streams_run_as_tasks_on_a_multi_threaded_runtime() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .build()
            .unwrap();
        let library = Arc::new(library());
        let totals = runtime.block_on(async {
            let tasks: Vec<_> = (0..8)
                .map(|task| {
                    let library = Arc::clone(&library);
                    tokio::spawn(async move {
                        let mut total = task;
                        let mut lengths = library.lengths();
                        while let Some(length) = lengths.next().await {
                            tokio::task::yield_now().await;
                            total += length;
                        }
                        total
                    })
                })
                .collect();
            let mut totals = Vec::new();
            for task in tasks {
                totals.push(task.await.unwrap());
            }
            totals
        });
        assert_eq!(totals, (0..8).map(|task| task + 15).collect::<Vec<_>>());
    }

    #[async_stream(item = u32, boxed)]
    async fn spawned_counter(limit: u32) {
        for i in 0..limit {
            tokio::task::yield_now().await;
            yield_!(i);
        }
    }

    #[test]
    fn a_boxed_stream_itself_moves_between_worker_threads() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .build()
            .unwrap();
        let sums = runtime.block_on(async {
            let tasks: Vec<_> = (1..=6)
                .map(|limit| {
                    let stream = spawned_counter(limit * 10);
                    tokio::spawn(
                        async move { stream.fold(0, |sum, x| async move { sum + x }).await },
                    )
                })
                .collect();
            let mut sums = Vec::new();
            for task in tasks {
                sums.push(task.await.unwrap());
            }
            sums
        });
        let expected: Vec<u32> = (1..=6).map(|limit| (0..limit * 10).sum()).collect();
        assert_eq!(sums, expected);
    }
}

mod runtime {
    use super::*;

    fn assert_send<T: Send>(_: &T) {}

    // Each probed stream comes from its own fn: auto traits of a closure type are only
    // known outside the fn that creates it.
    fn plain() -> impl Stream<Item = u32> {
        stream! { yield 1u32; }
    }

    fn holds_rc_across_yield() -> impl Stream<Item = u32> {
        stream! {
            let shared = Rc::new(5u32);
            yield *shared;
            yield *shared + 1;
        }
    }

    fn rc_only_between_yields() -> impl Stream<Item = u32> {
        stream! {
            let value = *Rc::new(5u32);
            yield value;
        }
    }

    fn yields_rc() -> impl Stream<Item = Rc<u8>> {
        stream! { yield Rc::new(1u8); }
    }

    fn captures_rc(captured: Rc<u8>) -> impl Stream<Item = u8> {
        stream! { yield *captured; }
    }

    // `Cell` is `Send` but not `Sync`: the yield future borrows the yielder, and must do so
    // without asking the items to be `Sync`.
    fn yields_cells() -> impl Stream<Item = Cell<u8>> {
        stream! {
            yield Cell::new(1);
            yield Cell::new(2);
        }
    }

    async fn native_holds_rc() -> u32 {
        let shared = Rc::new(5u32);
        yield_now().await;
        *shared
    }

    #[test]
    fn streams_are_send_exactly_when_their_state_is() {
        assert_send(&plain());
        assert!(is_send!(plain()));
        assert!(is_send!(rc_only_between_yields()));
        assert!(!is_send!(holds_rc_across_yield()));
        assert!(!is_send!(yields_rc()));
        assert!(!is_send!(captures_rc(Rc::new(1))));
        assert!(is_send!(yields_cells()));
        let cells: Vec<u8> = collect(yields_cells()).iter().map(Cell::get).collect();
        assert_eq!(cells, [1, 2]);
        // Native async blocks treat the same body the same way.
        assert!(!is_send!(native_holds_rc()));
        assert!(is_send!(attribute_form_evens()));
        assert_eq!(collect(holds_rc_across_yield()), [5, 6]);
        assert_eq!(collect(rc_only_between_yields()), [5]);
    }

    // Autoref specialisation again, for `Sync`.
    struct SyncProbe<T>(std::marker::PhantomData<T>);
    trait IsSync {
        fn is_sync(&self) -> bool {
            true
        }
    }
    impl<T: Sync> IsSync for SyncProbe<T> {}
    trait NotSync {
        fn is_sync(&self) -> bool {
            false
        }
    }
    impl<T> NotSync for &SyncProbe<T> {}
    fn sync_probe<T>(_: &T) -> SyncProbe<T> {
        SyncProbe(std::marker::PhantomData)
    }
    macro_rules! is_sync {
        ($value:expr) => {
            (&sync_probe(&$value)).is_sync()
        };
    }

    fn holds_cell_across_yield() -> impl Stream<Item = u32> {
        stream! {
            let counter = Cell::new(1u32);
            yield counter.get();
            counter.set(2);
            yield counter.get();
        }
    }

    #[test]
    fn a_shared_stream_is_sync_when_its_state_is_and_gives_nothing_to_race_on() {
        let numbers = stream! {
            yield 1u32;
            yield 2;
        };
        // `&AsyncStream` reaches only the state's name: threads sharing it cannot race.
        let described: Vec<String> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..2)
                .map(|_| scope.spawn(|| format!("{numbers:?}")))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(described, ["AsyncStream { state: \"not started\", .. }"; 2]);
        assert_eq!(collect(numbers), [1, 2]);
        assert!(is_sync!(plain()));
        assert!(!is_sync!(holds_cell_across_yield()));
        assert_eq!(collect(holds_cell_across_yield()), [1, 2]);
    }

    #[async_stream(item = u8)]
    async fn attribute_form_evens() {
        yield_!(0);
    }

    #[test]
    fn zero_allocations_per_stream_and_per_item() {
        let log_nothing = Cell::new(0u64);
        let (sum, allocations) = count_allocations(|| {
            let mut numbers = pin!(stream! {
                for i in 0..1000u64 {
                    yield i;
                    if i % 100 == 0 {
                        yield_now().await;
                    }
                }
            });
            let mut sum = 0;
            loop {
                match poll_next(numbers.as_mut()) {
                    Poll::Ready(Some(i)) => sum += i,
                    Poll::Ready(None) => break,
                    Poll::Pending => log_nothing.set(log_nothing.get() + 1),
                }
            }
            sum
        });
        assert_eq!(sum, 499_500);
        assert_eq!(log_nothing.get(), 10);
        assert_eq!(allocations, 0);
        let ((), allocations) = count_allocations(|| {
            let mut items = pin!(try_stream!(<u64, String> {
                for i in 0..100 {
                    yield i;
                }
                Err(String::new())?;
            }));
            while let Poll::Ready(Some(_)) = poll_next(items.as_mut()) {}
        });
        assert_eq!(allocations, 0);
    }

    // The same bodies for async-ext and async-stream, to compare sizes (performance.md:
    // "size ≤ async-stream's for the same body").
    macro_rules! twins {
        ($ours:ident, $theirs:ident, $item:ty, |$n:ident| $($body:tt)*) => {
            fn $ours($n: u64) -> impl Stream<Item = $item> {
                stream! { $($body)* }
            }
            fn $theirs($n: u64) -> impl Stream<Item = $item> {
                async_stream::stream! { $($body)* }
            }
        };
    }
    twins!(ours_u64, theirs_u64, u64, |n| for i in 0..n {
        yield i;
    });
    twins!(ours_string, theirs_string, String, |n| for i in 0..n {
        yield i.to_string();
    });
    twins!(ours_array, theirs_array, [u64; 4], |n| for i in 0..n {
        yield [i; 4];
    });
    twins!(ours_u8, theirs_u8, u8, |n| for i in 0..n {
        yield u8::try_from(i).unwrap();
    });

    #[async_stream(item = u64)]
    async fn attribute_u64(n: u64) {
        for i in 0..n {
            yield_!(i);
        }
    }

    #[test]
    fn stream_sizes_against_async_streams_for_the_same_body() {
        use std::mem::size_of_val;
        // Same items from both.
        assert_eq!(collect(ours_u64(3)), collect(theirs_u64(3)));
        assert_eq!(collect(ours_string(2)), collect(theirs_string(2)));
        assert_eq!(collect(ours_array(2)), collect(theirs_array(2)));
        assert_eq!(collect(ours_u8(2)), collect(theirs_u8(2)));
        let sizes = |ours: usize, theirs: usize| (ours, theirs);
        let u64_counter = sizes(size_of_val(&ours_u64(3)), size_of_val(&theirs_u64(3)));
        let strings = sizes(size_of_val(&ours_string(3)), size_of_val(&theirs_string(3)));
        let arrays = sizes(size_of_val(&ours_array(3)), size_of_val(&theirs_array(3)));
        let bytes = sizes(size_of_val(&ours_u8(3)), size_of_val(&theirs_u8(3)));
        println!("u64 {u64_counter:?} String {strings:?} [u64; 4] {arrays:?} u8 {bytes:?}");
        // Both keep the item in the body's yield future until it is polled. async-ext also
        // keeps the stream's id twice: in the stream (its niche is the state tag) and in the
        // yielder (7 bytes, sharing a word with the body's tag); the yield future borrows the
        // yielder (the borrow's niche is the `Option` tag around the item): guide::streams,
        // "Size". A `String` item has a niche of its own, so the borrow costs a word there;
        // small items leave padding async-stream's layout fills. Asserted exactly so a change
        // is seen.
        assert_eq!(u64_counter, (56, 56));
        assert_eq!(collect(attribute_u64(3)), collect(theirs_u64(3)));
        assert_eq!(size_of_val(&attribute_u64(3)), u64_counter.1);
        assert_eq!(arrays.0, arrays.1, "{arrays:?}");
        assert_eq!(strings.0, strings.1 + 8, "{strings:?}");
        assert_eq!(bytes.0, bytes.1 + 16, "{bytes:?}");
    }

    #[test]
    fn a_boxed_stream_allocates_once_per_stream_and_never_per_item() {
        let library = vec![1u32, 2, 3];
        let (sum, allocations) = count_allocations(|| {
            let mut boxed: Pin<Box<dyn Stream<Item = u32>>> = Box::pin(stream! {
                for x in &library {
                    yield *x;
                }
            });
            let mut sum = 0;
            while let Poll::Ready(Some(x)) = poll_next(boxed.as_mut()) {
                sum += x;
            }
            sum
        });
        assert_eq!(sum, 6);
        assert_eq!(allocations, 1);
    }

    #[test]
    fn dropping_a_half_consumed_stream_drops_its_locals() {
        let counter = DropCounter::new();
        let captured = counter.token();
        let body_counter = counter.clone();
        let mut numbers = Box::pin(stream! {
            let _captured = captured;
            let _before_loop = body_counter.token();
            for i in 0..10u32 {
                let _in_loop = body_counter.token();
                yield i;
            }
        });
        assert_eq!(poll_next(numbers.as_mut()), Poll::Ready(Some(0)));
        assert_eq!(poll_next(numbers.as_mut()), Poll::Ready(Some(1)));
        // The first iteration's local is gone, the second one's is alive at the yield.
        assert_eq!(counter.dropped(), 1);
        drop(numbers);
        // `_captured`, `_before_loop` and the second `_in_loop`.
        assert_eq!(counter.dropped(), 4);
    }

    #[test]
    fn a_stream_never_polled_drops_its_captures() {
        let counter = DropCounter::new();
        let token = counter.token();
        let numbers = stream! {
            let _token = token;
            yield 1u8;
        };
        assert_eq!(counter.dropped(), 0);
        drop(numbers);
        assert_eq!(counter.dropped(), 1);
    }

    #[test]
    fn polling_after_completion_returns_none() {
        let mut numbers = pin!(stream! { yield 1u8; });
        assert!(!numbers.is_terminated());
        assert_eq!(numbers.size_hint(), (0, None));
        assert_eq!(poll_next(numbers.as_mut()), Poll::Ready(Some(1)));
        assert_eq!(poll_next(numbers.as_mut()), Poll::Ready(None));
        assert!(numbers.is_terminated());
        assert_eq!(numbers.size_hint(), (0, Some(0)));
        for _ in 0..3 {
            assert_eq!(poll_next(numbers.as_mut()), Poll::Ready(None));
        }
    }

    #[test]
    fn polling_after_the_body_panicked_panics_again_and_drops_cleanly() {
        let counter = DropCounter::new();
        let token = counter.token();
        let mut numbers = Box::pin(stream! {
            let _token = token;
            yield 1u8;
            panic!("body failed");
        });
        assert_eq!(poll_next(numbers.as_mut()), Poll::Ready(Some(1)));
        let first =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| poll_next(numbers.as_mut())));
        let message = first.unwrap_err();
        assert_eq!(message.downcast_ref::<&str>(), Some(&"body failed"));
        // The panic unwound through the body: its local is dropped.
        assert_eq!(counter.dropped(), 1);
        let second =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| poll_next(numbers.as_mut())));
        let message = second.unwrap_err();
        let text = message
            .downcast_ref::<&str>()
            .map(ToString::to_string)
            .or_else(|| message.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        assert!(text.contains("resumed after panicking"), "{text}");
        drop(numbers);
        assert_eq!(counter.dropped(), 1);
    }

    fn second_poll_panic_message<F: std::future::Future>(future: Pin<&mut F>) -> String {
        let mut future = future;
        let first =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| poll_once(future.as_mut())));
        assert!(first.is_err());
        let second =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| poll_once(future.as_mut())));
        let payload = second
            .err()
            .expect("polling again after a panic must panic");
        payload
            .downcast_ref::<&str>()
            .map(ToString::to_string)
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default()
    }

    #[test]
    fn polling_after_a_panic_behaves_as_a_native_async_block_does() {
        let native = pin!(async {
            assert!(std::hint::black_box(false), "native failed");
        });
        let native_message = second_poll_panic_message(native);
        let mut ours = pin!(stream! {
            assert!(std::hint::black_box(false), "ours failed");
            yield 1u8;
        });
        let ours_message =
            second_poll_panic_message(pin!(async_ext::__private::next(ours.as_mut())));
        assert_eq!(ours_message, native_message);
        assert!(!ours.is_terminated());
    }

    #[test]
    fn a_panic_before_the_first_yield_leaves_the_stream_sound() {
        let mut numbers = Box::pin(stream! {
            assert!(std::hint::black_box(false), "at once");
            yield 1u8;
        });
        assert!(
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| poll_next(numbers.as_mut())))
                .is_err()
        );
        drop(numbers);
    }
}

/// The attacks the runtime's `unsafe` module is tested against (guide::soundness).
mod attacks {
    use super::*;

    fn counter_from(start: u32) -> impl Stream<Item = u32> {
        stream! {
            for i in start.. {
                yield i;
                yield_now().await;
            }
        }
    }

    #[test]
    fn two_streams_of_the_same_type_polled_in_turn_keep_their_items_apart() {
        let mut a = pin!(counter_from(0));
        let mut b = pin!(counter_from(100));
        let mut from_a = Vec::new();
        let mut from_b = Vec::new();
        for _ in 0..6 {
            from_a.push(poll_next(a.as_mut()));
            from_b.push(poll_next(b.as_mut()));
        }
        let expected = |start| {
            vec![
                Poll::Ready(Some(start)),
                Poll::Pending,
                Poll::Ready(Some(start + 1)),
                Poll::Pending,
                Poll::Ready(Some(start + 2)),
                Poll::Pending,
            ]
        };
        assert_eq!(from_a, expected(0));
        assert_eq!(from_b, expected(100));
    }

    #[test]
    fn yields_after_join_and_select_in_the_body_reach_the_stream() {
        // `join!`/`select!` poll their futures with the body's `Context` (or one of their
        // own); a `yield` after them is at the body's top level and sees the stream's waker.
        let numbers = stream! {
            let (a, b) = futures::join!(async { yield_now().await; 1u32 }, async { 2u32 });
            yield a;
            yield b;
            let c = futures::select! {
                x = futures::FutureExt::fuse(async { yield_now().await; 3u32 }) => x,
            };
            yield c;
        };
        assert_eq!(collect(numbers), [1, 2, 3]);
        let on_tokio = stream! {
            let (a, b) = tokio::join!(async { tokio::task::yield_now().await; 4u32 }, async { 5u32 });
            yield a;
            yield b;
            let c = tokio::select! {
                x = async { tokio::task::yield_now().await; 6u32 } => x,
            };
            yield c;
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        assert_eq!(runtime.block_on(on_tokio.collect::<Vec<_>>()), [4, 5, 6]);
    }

    #[test]
    fn a_stream_moved_to_another_thread_mid_way_keeps_yielding_there() {
        let mut numbers = Box::pin(stream! {
            let mut local = vec![0u64];
            for i in 1..=100u64 {
                local.push(i);
                yield i;
            }
            yield local.iter().sum();
        });
        assert_eq!(poll_next(numbers.as_mut()), Poll::Ready(Some(1)));
        let rest = std::thread::spawn(move || collect(numbers)).join().unwrap();
        assert_eq!(rest.len(), 100);
        assert_eq!(rest[..2], [2, 3]);
        assert_eq!(rest[99], 5050);
    }

    #[test]
    fn streams_moved_before_their_first_poll_work_wherever_they_land() {
        // Moving is allowed until the first poll: the yielder does not exist yet.
        let streams: Vec<_> = (0..3u32)
            .map(|n| stream! { yield n; yield n * 10; })
            .collect();
        let moved: Vec<_> = streams.into_iter().rev().collect();
        let all: Vec<Vec<u32>> = moved.into_iter().map(collect).collect();
        assert_eq!(all, [vec![2, 20], vec![1, 10], vec![0, 0]]);
    }

    #[test]
    fn an_inner_generator_escaping_its_parent_keeps_its_own_slot() {
        let (sender, receiver) = std::sync::mpsc::channel();
        let outer = stream! {
            let inner = stream! {
                yield 7u32;
                yield 8;
            };
            sender.send(Box::pin(inner)).unwrap();
            yield 1u32;
        };
        assert_eq!(collect(outer), [1]);
        // The parent is gone; its child still yields into its own slot.
        let inner = receiver.recv().unwrap();
        assert_eq!(collect(inner), [7, 8]);
    }

    #[test]
    fn interleaved_nested_generators_each_get_their_own_items() {
        let outer = stream! {
            let mut left = pin!(stream! { for i in 0..3u32 { yield i; } });
            let mut right = pin!(stream! { for i in 10..13u32 { yield i; } });
            loop {
                let l = left.next().await;
                let r = right.next().await;
                match (l, r) {
                    (Some(l), Some(r)) => {
                        yield l;
                        yield r;
                    }
                    _ => break,
                }
            }
        };
        assert_eq!(collect(outer), [0, 10, 1, 11, 2, 12]);
    }

    #[test]
    fn a_generator_polled_from_inside_another_generator_running_on_other_threads() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .build()
            .unwrap();
        let result = runtime.block_on(async {
            let outer = stream! {
                let inner = stream! {
                    for i in 0..50u32 {
                        tokio::task::yield_now().await;
                        yield i;
                    }
                };
                for await x in inner {
                    tokio::task::yield_now().await;
                    yield x * 2;
                }
            };
            tokio::spawn(outer.collect::<Vec<u32>>()).await.unwrap()
        });
        assert_eq!(result, (0..50).map(|x| x * 2).collect::<Vec<_>>());
    }
}

/// `#[async_trait_ext]` methods with generator attributes: the trait macro leaves them to the
/// generator attribute, which expands them afterwards.
#[cfg(feature = "traits")]
mod with_async_trait_ext {
    use super::*;
    use async_ext::async_trait_ext;

    #[async_trait_ext]
    trait Feed {
        async fn name(&self) -> String;

        #[async_stream(item = u32, boxed)]
        async fn evens(&self, n: u32);
    }

    struct Numbers;

    #[async_trait_ext]
    impl Feed for Numbers {
        async fn name(&self) -> String {
            "numbers".to_string()
        }

        #[async_stream(item = u32, boxed)]
        async fn evens(&self, n: u32) {
            for i in 0..n {
                yield_!(i * 2);
            }
        }
    }

    #[test]
    fn generator_methods_of_an_async_trait_ext_trait_work_through_dyn() {
        let feed: Box<dyn Feed + Send + Sync> = Box::new(Numbers);
        assert_eq!(block_on(feed.name()), "numbers");
        assert_eq!(collect(feed.evens(3)), [0, 2, 4]);
    }

    #[async_trait_ext(native, dyn = none)]
    trait NativeFeed {
        async fn name(&self) -> String;

        #[async_stream(item = u32)]
        async fn odds(&self, n: u32);
    }

    // Native mode: plain impl, no attribute.
    impl NativeFeed for Numbers {
        async fn name(&self) -> String {
            "native".to_string()
        }

        #[async_stream(item = u32)]
        async fn odds(&self, n: u32) {
            for i in 0..n {
                yield_!(i * 2 + 1);
            }
        }
    }

    #[test]
    fn generator_methods_of_a_native_trait_work_statically() {
        assert_eq!(block_on(NativeFeed::name(&Numbers)), "native");
        assert_eq!(collect(Numbers.odds(3)), [1, 3, 5]);
    }
}

/// Generated code names only absolute paths: user items called `core`, `Box`, `Pin`,
/// `Result`, `Ok`, `Option`, `Some` or `Send` cannot capture it.
#[allow(dead_code, non_camel_case_types)]
mod hygiene {
    mod core {}
    struct Box;
    struct Pin;
    struct Result;
    struct Ok;
    struct Option;
    struct Some;
    struct Send;
    struct Stream;

    use async_ext::{async_stream, async_try_stream, stream, try_stream};

    #[async_try_stream(ok = u8, error = String, boxed)]
    async fn checked(limit: u8) {
        for i in 0..limit {
            if i == 2 {
                Err(String::from("two"))?;
            }
            yield_!(i);
        }
    }

    #[async_stream(item = u8)]
    async fn plain(limit: u8) {
        for i in 0..limit {
            yield_!(i);
        }
    }

    #[test]
    fn generated_code_ignores_shadowing_names() {
        use futures::StreamExt;
        let items = futures::executor::block_on(checked(5).collect::<Vec<_>>());
        assert_eq!(items.len(), 3);
        assert!(items[..2].iter().all(::core::result::Result::is_ok));
        assert_eq!(items[2].as_ref().unwrap_err(), "two");
        assert_eq!(
            futures::executor::block_on(plain(3).collect::<Vec<_>>()),
            [0, 1, 2]
        );
        let macro_made = stream!(<u8> {
            yield 1;
        });
        assert_eq!(
            futures::executor::block_on(macro_made.collect::<Vec<_>>()),
            [1]
        );
        let try_made = try_stream!(<u8, String> {
            yield 1;
            Err(String::from("end"))?;
        });
        assert_eq!(futures::executor::block_on(try_made.count()), 2);
    }
}

/// Attacks through `async_ext::__private`, which safe code can call: there the yielder is a
/// plain value that can be smuggled anywhere (a channel, an `Rc<RefCell<_>>`, a static,
/// another thread, another stream's body). Each misuse must panic with the yielder's message,
/// never write where it should not (guide::soundness; run under AddressSanitizer too).
mod private_api_attacks {
    use std::cell::RefCell;
    use std::future::Future;
    use std::panic::{AssertUnwindSafe, catch_unwind};
    use std::sync::Mutex;
    use std::task::Context;

    use async_ext::__private::{Yielder, stream_new};

    use super::*;

    fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
        payload
            .downcast_ref::<&str>()
            .map(ToString::to_string)
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default()
    }

    /// Runs `f`, which must panic with the yielder-misuse message.
    #[track_caller]
    fn assert_misuse<R>(f: impl FnOnce() -> R) {
        let Err(payload) = catch_unwind(AssertUnwindSafe(f)) else {
            panic!("the misused yielder did not panic");
        };
        let text = panic_text(&*payload);
        assert!(text.contains("yielder was used outside"), "{text}");
    }

    /// An escaped yielder's best shot: make a yield and poll it with the waker at hand (here
    /// the no-op waker of a caller that is not a stream). Making the yield future alone does
    /// nothing: only a poll can reach a slot.
    fn force_yield<T>(yielder: &mut Yielder<T>, item: T) -> Poll<()> {
        poll_once(pin!(yielder.yield_item(item)))
    }

    type Stash<T> = Rc<RefCell<Option<Yielder<T>>>>;

    /// A stream that gives its yielder away to `out` when it starts, yields once through the
    /// yielder found in `stale` (if any), and then suspends once.
    fn hijackable(
        out: &Stash<String>,
        stale: &Stash<String>,
    ) -> Pin<Box<impl Stream<Item = String> + use<>>> {
        let (out, stale) = (Rc::clone(out), Rc::clone(stale));
        Box::pin(stream_new(move |own: Yielder<String>| {
            *out.borrow_mut() = Some(own);
            async move {
                let stale = stale.borrow_mut().take();
                if let Some(mut stale) = stale {
                    stale.yield_item("forged".to_string()).await;
                }
                yield_now().await;
            }
        }))
    }

    #[test]
    fn a_yielder_used_after_its_stream_was_dropped_panics() {
        let (out, no_stale) = (Stash::default(), Stash::default());
        let mut first = hijackable(&out, &no_stale);
        assert_eq!(poll_next(first.as_mut()), Poll::Pending);
        drop(first);
        let mut escaped = out.borrow_mut().take().unwrap();
        // The stream's memory is freed: a write through a pointer would be a use after free.
        assert_misuse(|| force_yield(&mut escaped, "after free".to_string()));
    }

    #[test]
    fn a_yield_ok_after_its_try_stream_ended_panics() {
        let stash: Stash<Result<String, u8>> = Stash::default();
        let inner = Rc::clone(&stash);
        let mut stream = Box::pin(async_ext::__private::try_stream_new(
            move |y: Yielder<Result<String, u8>>| {
                *inner.borrow_mut() = Some(y);
                async { Err(3) }
            },
        ));
        assert_eq!(poll_next(stream.as_mut()), Poll::Ready(Some(Err(3))));
        assert_eq!(poll_next(stream.as_mut()), Poll::Ready(None));
        let mut escaped = stash.borrow_mut().take().unwrap();
        assert_misuse(|| poll_once(pin!(escaped.yield_ok("after the end".to_string()))));
    }

    #[test]
    fn a_stale_yielder_cannot_feed_a_new_stream_at_the_same_address() {
        let (out_a, out_b, stale) = (Stash::default(), Stash::default(), Stash::default());
        let mut a = hijackable(&out_a, &Stash::default());
        assert_eq!(poll_next(a.as_mut()), Poll::Pending);
        let address_a = std::ptr::from_ref(&*a).addr();
        drop(a);
        *stale.borrow_mut() = out_a.borrow_mut().take();
        // Same type, same size: the allocator usually hands out the same address again. A
        // check by address would let the stale yielder write into `b`.
        let mut b = hijackable(&out_b, &stale);
        let same_address = std::ptr::from_ref(&*b).addr() == address_a;
        assert_misuse(|| poll_next(b.as_mut()));
        // `b` never produced the forged item; its body is poisoned like any panicked async
        // block, and dropping it is clean.
        assert!(catch_unwind(AssertUnwindSafe(|| poll_next(b.as_mut()))).is_err());
        drop(b);
        // Report, not assert: the allocator decides. (With glibc it is the same address.)
        println!("same address reused: {same_address}");
    }

    #[test]
    fn a_yielder_cannot_feed_another_live_stream() {
        let (out_a, out_b, stale) = (Stash::default(), Stash::default(), Stash::default());
        let mut a = hijackable(&out_a, &Stash::default());
        assert_eq!(poll_next(a.as_mut()), Poll::Pending);
        // `a` is alive and idle; its yielder is used from `b`'s body.
        *stale.borrow_mut() = out_a.borrow_mut().take();
        let mut b = hijackable(&out_b, &stale);
        assert_misuse(|| poll_next(b.as_mut()));
        // Nothing reached `a`: it ends without an item.
        assert_eq!(poll_next(a.as_mut()), Poll::Ready(None));
    }

    #[test]
    fn a_parent_yielder_used_in_a_child_body_panics_and_polling_state_is_restored() {
        let log = Log::default();
        let child_log = log.clone();
        let mut parent = Box::pin(stream_new(move |own: Yielder<u32>| async move {
            // The child's body owns the parent's yielder and yields through it while the
            // child, not the parent, is being polled.
            let mut child = pin!(stream_new(move |_child_yielder: Yielder<u32>| async move {
                let mut own = own;
                child_log.push("child yields through the parent's yielder");
                own.yield_item(1).await;
                child_log.push("unreachable");
            }));
            let from_child = child.next().await;
            assert_eq!(from_child, None, "unreachable");
        }));
        assert_misuse(|| poll_next(parent.as_mut()));
        assert_eq!(log.events(), ["child yields through the parent's yielder"]);
        drop(parent);
        // Both guards unwound: a fresh stream polls normally on this thread.
        let fresh = stream! { yield 5u8; yield 6; };
        assert_eq!(collect(fresh), [5, 6]);
    }

    #[test]
    fn a_panic_in_the_body_does_not_leave_its_stream_marked_as_being_polled() {
        let stash: Stash<u64> = Stash::default();
        let inner = Rc::clone(&stash);
        let mut stream = Box::pin(stream_new(move |y: Yielder<u64>| {
            *inner.borrow_mut() = Some(y);
            async {
                assert!(std::hint::black_box(false), "the body failed");
            }
        }));
        assert!(catch_unwind(AssertUnwindSafe(|| poll_next(stream.as_mut()))).is_err());
        let mut escaped = stash.borrow_mut().take().unwrap();
        // The stream is alive but not being polled, and the `poll_next` stack frame that held
        // its slot is gone: the write must not happen.
        assert_misuse(|| force_yield(&mut escaped, 7));
        drop(stream);
    }

    #[test]
    fn a_yielder_sent_to_another_thread_cannot_race_its_stream() {
        let (sender, receiver) = std::sync::mpsc::channel::<Yielder<u64>>();
        let mut stream = Box::pin(stream_new(move |y: Yielder<u64>| {
            sender.send(y).unwrap();
            async {
                for _ in 0..100 {
                    yield_now().await;
                }
            }
        }));
        assert_eq!(poll_next(stream.as_mut()), Poll::Pending);
        std::thread::scope(|scope| {
            let attacker = scope.spawn(move || {
                let mut y = receiver.recv().unwrap();
                // Bounded, so a regression fails the test instead of hanging it.
                for i in 0..100_000 {
                    let _ = force_yield(&mut y, i);
                }
            });
            // Meanwhile this thread keeps polling the stream.
            let mut items = Vec::new();
            loop {
                match poll_next(stream.as_mut()) {
                    Poll::Ready(Some(item)) => items.push(item),
                    Poll::Ready(None) => break,
                    Poll::Pending => {}
                }
            }
            assert_eq!(items, Vec::<u64>::new());
            let payload = attacker.join().unwrap_err();
            assert!(panic_text(&*payload).contains("yielder was used outside"));
        });
    }

    static PARKED: Mutex<Option<Yielder<u64>>> = Mutex::new(None);

    #[test]
    fn a_yielder_parked_in_a_static_yields_only_while_its_own_stream_polls() {
        let numbers = stream_new(|y: Yielder<u64>| {
            *PARKED.lock().unwrap() = Some(y);
            async {
                for i in 0..3 {
                    let mut y = PARKED.lock().unwrap().take().unwrap();
                    // Its own stream is being polled: the check is by identity, not place.
                    y.yield_item(i).await;
                    *PARKED.lock().unwrap() = Some(y);
                }
            }
        });
        assert_eq!(collect(numbers), [0, 1, 2]);
        let mut parked = PARKED.lock().unwrap().take().unwrap();
        assert_misuse(|| force_yield(&mut parked, 3));
    }

    #[test]
    fn a_yield_in_the_closure_that_builds_the_body_panics_and_the_stream_ends() {
        let mut stream = Box::pin(stream_new(|mut y: Yielder<u8>| {
            let _ = force_yield(&mut y, 1);
            async {}
        }));
        assert_misuse(|| poll_next(stream.as_mut()));
        assert_eq!(poll_next(stream.as_mut()), Poll::Ready(None));
        assert!(stream.is_terminated());
    }

    #[test]
    fn items_yielded_without_awaiting_are_dropped_once_never_leaked() {
        let counter = DropCounter::new();
        let (first, second, last) = (counter.token(), counter.token(), counter.token());
        let mut stream = Box::pin(stream_new(move |mut y: Yielder<DropToken>| async move {
            drop(y.yield_item(first));
            y.yield_item(second).await;
            // Not awaited, and the body ends at once.
            drop(y.yield_item(last));
        }));
        // The first yield was never polled: its item is dropped with its future.
        let Poll::Ready(Some(second)) = poll_next(stream.as_mut()) else {
            panic!("expected an item");
        };
        assert_eq!(counter.dropped(), 1);
        // The body ended with `last` in the slot: it is dropped, the stream ends.
        assert!(matches!(poll_next(stream.as_mut()), Poll::Ready(None)));
        assert_eq!(counter.dropped(), 2);
        drop(second);
        drop(stream);
        assert_eq!(counter.dropped(), 3);
    }

    #[test]
    fn a_refused_yield_keeps_its_item_panics_again_and_drops_it_once() {
        let counter = DropCounter::new();
        let stash: Stash<DropToken> = Stash::default();
        let inner = Rc::clone(&stash);
        let mut stream = Box::pin(stream_new(move |y: Yielder<DropToken>| {
            *inner.borrow_mut() = Some(y);
            yield_now()
        }));
        assert!(poll_next(stream.as_mut()).is_pending());
        let mut escaped = stash.borrow_mut().take().unwrap();
        // Its own stream is alive but not polling: the yield is refused every time, and the
        // item stays in the future, neither delivered nor dropped.
        let mut refused = Box::pin(escaped.yield_item(counter.token()));
        for _ in 0..2 {
            assert_misuse(|| poll_once(refused.as_mut()));
            assert_eq!(counter.dropped(), 0);
        }
        drop(refused);
        assert_eq!(counter.dropped(), 1);
        assert!(matches!(poll_next(stream.as_mut()), Poll::Ready(None)));
        assert_eq!(counter.dropped(), 1);
    }

    struct YieldOnDrop(Yielder<u32>);

    impl Drop for YieldOnDrop {
        fn drop(&mut self) {
            let _ = force_yield(&mut self.0, 9);
        }
    }

    #[test]
    fn a_yield_from_a_destructor_run_by_dropping_the_stream_panics() {
        let mut stream = Box::pin(stream_new(|y: Yielder<u32>| async move {
            let _guard = YieldOnDrop(y);
            yield_now().await;
        }));
        assert_eq!(poll_next(stream.as_mut()), Poll::Pending);
        // Dropping the stream drops the guard outside any poll.
        assert_misuse(|| drop(stream));
    }

    #[test]
    fn a_yield_from_a_destructor_run_inside_the_body_panics() {
        let mut stream = Box::pin(stream_new(|y: Yielder<u32>| async move {
            let guard = YieldOnDrop(y);
            drop(guard);
            yield_now().await;
        }));
        // A destructor has no `Context`: even while its own stream polls, a yield it polls
        // with any other waker cannot reach the slot.
        assert_misuse(|| poll_next(stream.as_mut()));
        assert!(catch_unwind(AssertUnwindSafe(|| poll_next(stream.as_mut()))).is_err());
    }

    #[test]
    fn a_yield_polled_with_another_waker_inside_its_own_body_panics() {
        let mut stream = Box::pin(stream_new(|mut y: Yielder<u32>| async move {
            // Its own stream is being polled, but not through this `Context`.
            let _ = force_yield(&mut y, 1);
            y.yield_item(2).await;
        }));
        assert_misuse(|| poll_next(stream.as_mut()));
    }

    #[test]
    fn a_parent_yield_polled_with_the_parents_smuggled_waker_in_a_child_body_reaches_the_parent() {
        // The parent's `Context` is handed to the child's body (a borrow, so only while the
        // parent's poll runs): the parent's slot is alive and the parent's own yielder writes
        // it, so the item is an ordinary item of the parent.
        let parent = stream_new(|mut own: Yielder<u32>| async move {
            let mut done = false;
            std::future::poll_fn(|cx| {
                if done {
                    return Poll::Ready(());
                }
                done = true;
                let parent_waker = cx.waker();
                let own = &mut own;
                // The child lives within this one poll of the parent, as the borrow demands.
                let mut child = pin!(stream_new(move |_: Yielder<u32>| async move {
                    let mut theirs = Context::from_waker(parent_waker);
                    let mut yielded = pin!(own.yield_item(7));
                    assert_eq!(yielded.as_mut().poll(&mut theirs), Poll::Pending);
                }));
                assert_eq!(child.as_mut().poll_next(cx), Poll::Ready(None));
                // The parent's slot now holds 7: suspend so `poll_next` hands it out.
                Poll::Pending
            })
            .await;
        });
        assert_eq!(collect(parent), [7]);
    }

    #[test]
    fn a_yield_polled_on_a_scoped_thread_with_its_streams_waker_is_ordered_by_the_join() {
        // `Context` is `!Send`, but `&Waker` is `Send`: a scoped thread may poll the yield
        // with the stream's wrapper waker. The thread is joined before the body's poll
        // returns, so the write happens before `poll_next` reads the slot.
        let numbers = stream_new(|mut y: Yielder<u64>| async move {
            for i in 0..3 {
                let mut yielded = y.yield_item(i);
                std::future::poll_fn(|cx| {
                    let waker = cx.waker();
                    let yielded = &mut yielded;
                    std::thread::scope(|scope| {
                        scope
                            .spawn(move || Pin::new(yielded).poll(&mut Context::from_waker(waker)))
                            .join()
                            .unwrap()
                    })
                })
                .await;
            }
        });
        assert_eq!(collect(numbers), [0, 1, 2]);
    }

    #[test]
    fn a_foreign_yield_polled_on_a_scoped_thread_with_a_streams_waker_panics() {
        let (out, no_stale) = (Stash::default(), Stash::default());
        let mut other = hijackable(&out, &no_stale);
        assert_eq!(poll_next(other.as_mut()), Poll::Pending);
        let foreign = out.borrow_mut().take().unwrap();
        // `String` is `Send`, but the yielder is `Rc`-stashed: move it out first.
        let foreign = std::sync::Mutex::new(foreign);
        let mut victim = Box::pin(stream_new(|_: Yielder<String>| async move {
            std::future::poll_fn(|cx| {
                let waker = cx.waker();
                let foreign = &foreign;
                std::thread::scope(|scope| {
                    scope
                        .spawn(move || {
                            let mut foreign = foreign.lock().unwrap();
                            let mut yielded = pin!(foreign.yield_item("forged".to_string()));
                            yielded.as_mut().poll(&mut Context::from_waker(waker))
                        })
                        .join()
                        .map_err(std::panic::resume_unwind)
                        .unwrap()
                })
            })
            .await;
        }));
        assert_misuse(|| poll_next(victim.as_mut()));
        assert_eq!(poll_next(other.as_mut()), Poll::Ready(None));
    }

    #[test]
    fn a_yielder_of_non_send_items_cannot_reach_another_thread() {
        // A yield polled on a scoped thread moves its item to the stream's thread, so the
        // yielder (and its future, and `&mut` to either) is `Send` only when the item is.
        let rc_items = stream_new(|mut y: Yielder<Rc<u8>>| async move {
            assert!(!is_send!(y));
            assert!(!is_send!(&mut y));
            let yielded = y.yield_item(Rc::new(1));
            assert!(!is_send!(yielded));
            yielded.await;
        });
        assert_eq!(collect(rc_items).len(), 1);
        let plain = stream_new(|mut y: Yielder<u8>| async move {
            assert!(is_send!(y));
            y.yield_item(1).await;
        });
        assert_eq!(collect(plain), [1]);
    }

    #[test]
    fn a_waker_cloned_in_the_body_is_the_callers_waker() {
        use std::task::{Wake, Waker};
        struct Counting(AtomicUsize);
        impl Wake for Counting {
            fn wake(self: Arc<Self>) {
                self.0.fetch_add(1, Ordering::SeqCst);
            }
            fn wake_by_ref(self: &Arc<Self>) {
                self.0.fetch_add(1, Ordering::SeqCst);
            }
        }
        let counting = Arc::new(Counting(AtomicUsize::new(0)));
        let caller = Waker::from(Arc::clone(&counting));
        let stored: Rc<RefCell<Option<Waker>>> = Rc::default();
        let inner = Rc::clone(&stored);
        let mut stream = Box::pin(stream_new(move |mut y: Yielder<u8>| async move {
            std::future::poll_fn(|cx| {
                // What a channel or timer does with the waker it is given.
                *inner.borrow_mut() = Some(cx.waker().clone());
                cx.waker().wake_by_ref();
                Poll::Ready(())
            })
            .await;
            y.yield_item(1).await;
        }));
        let polled = stream.as_mut().poll_next(&mut Context::from_waker(&caller));
        assert_eq!(polled, Poll::Ready(Some(1)));
        // `wake_by_ref` on the body's waker reached the caller's.
        assert_eq!(counting.0.load(Ordering::SeqCst), 1);
        // The stored clone is the caller's waker itself (same `Arc`), usable after the poll.
        // (Not `will_wake`: std's `Arc` waker vtable is a `const`, whose address may differ
        // between uses, and Miri makes it differ.)
        let clone = stored.borrow_mut().take().unwrap();
        assert_eq!(clone.data(), caller.data());
        clone.wake();
        assert_eq!(counting.0.load(Ordering::SeqCst), 2);
    }
}
