//! `#[async_trait_ext]` boxed mode: every supported feature, called through static dispatch and
//! through `dyn` (`Box<dyn _>`, `&dyn _`, `Arc<dyn _ + Send + Sync>` spawned on a
//! multi-threaded runtime), asserting the values returned. One module per feature.

use async_ext::async_trait_ext;
use async_ext_tests::{CountingAllocator, Log, count_allocations, poll_once, yield_now};
use futures::executor::block_on;
use std::sync::Arc;

#[global_allocator]
static ALLOC: CountingAllocator = CountingAllocator;

/// Asserts at compile time that a value is `Send`.
fn assert_send<T: Send>(value: T) -> T {
    value
}

/// A multi-threaded runtime, for spawning futures on other threads.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap()
}

mod basic {
    use super::*;

    /// A key-value store.
    #[async_trait_ext]
    trait Store {
        /// Looks a key up.
        async fn get(&self, key: &str) -> Option<u32>;
        /// Stores a value.
        async fn put(&mut self, key: String, value: u32);
        /// A default body.
        async fn len(&self) -> usize {
            0
        }
        /// A sync method passes through.
        fn name(&self) -> &'static str;
    }

    #[derive(Default)]
    struct Memory(Vec<(String, u32)>);

    #[async_trait_ext]
    impl Store for Memory {
        async fn get(&self, key: &str) -> Option<u32> {
            yield_now().await;
            self.0.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
        }
        async fn put(&mut self, key: String, value: u32) {
            yield_now().await;
            self.0.push((key, value));
        }
        async fn len(&self) -> usize {
            self.0.len()
        }
        fn name(&self) -> &'static str {
            "memory"
        }
    }

    struct Empty;

    #[async_trait_ext]
    impl Store for Empty {
        async fn get(&self, _key: &str) -> Option<u32> {
            None
        }
        async fn put(&mut self, _key: String, _value: u32) {}
        fn name(&self) -> &'static str {
            "empty"
        }
    }

    #[test]
    fn static_dispatch() {
        let mut memory = Memory::default();
        block_on(memory.put("a".into(), 1));
        block_on(memory.put("b".into(), 2));
        assert_eq!(block_on(memory.get("b")), Some(2));
        assert_eq!(block_on(memory.get("c")), None);
        assert_eq!(block_on(memory.len()), 2);
        assert_eq!(block_on(Empty.len()), 0, "default body");
        assert_eq!(memory.name(), "memory");
    }

    #[test]
    fn box_dyn() {
        let mut store: Box<dyn Store> = Box::new(Memory::default());
        block_on(store.put("k".into(), 7));
        assert_eq!(block_on(store.get("k")), Some(7));
        assert_eq!(store.name(), "memory");
        // `len` has a default `&self` body, so it needs `dyn Store + Sync`.
        let mut store: Box<dyn Store + Sync> = Box::new(Memory::default());
        block_on(store.put("k".into(), 7));
        assert_eq!(block_on(store.len()), 1);
    }

    #[test]
    fn ref_dyn_with_default_body() {
        // A default `&self` body needs `Self: Sync`: callable through `dyn Store + Sync`.
        let empty = Empty;
        let store: &(dyn Store + Sync) = &empty;
        assert_eq!(block_on(store.len()), 0);
        assert_eq!(block_on(store.get("x")), None);
    }

    #[test]
    fn arc_dyn_spawned_on_a_multi_threaded_runtime() {
        let mut memory = Memory::default();
        block_on(memory.put("x".into(), 40));
        let store: Arc<dyn Store + Send + Sync> = Arc::new(memory);
        let rt = runtime();
        let handles: Vec<_> = (0..4)
            .map(|i| {
                let store = Arc::clone(&store);
                rt.spawn(async move {
                    store.get("x").await.unwrap() + i + u32::try_from(store.len().await).unwrap()
                })
            })
            .collect();
        let results: Vec<u32> = handles
            .into_iter()
            .map(|h| rt.block_on(h).unwrap())
            .collect();
        assert_eq!(results, [41, 42, 43, 44]);
    }

    #[test]
    fn futures_are_send() {
        let memory = Memory::default();
        let future = assert_send(memory.get("a"));
        assert_eq!(block_on(future), None);
    }

    #[test]
    fn one_allocation_per_call() {
        let memory = Memory(vec![("a".into(), 5)]);
        let (value, allocations) = count_allocations(|| {
            let mut future = memory.get("a");
            assert!(poll_once(future.as_mut()).is_pending());
            poll_once(future.as_mut())
        });
        assert_eq!(value, std::task::Poll::Ready(Some(5)));
        assert_eq!(allocations, 1, "the boxed future is the only allocation");
    }
}

mod receivers {
    use super::*;
    use std::pin::Pin;

    trait Named {
        fn value(&self) -> u32;
    }

    #[async_trait_ext]
    trait Receivers: Named {
        async fn by_value(self) -> u32
        where
            Self: Sized;
        async fn by_mut_value(mut self) -> u32
        where
            Self: Sized;
        async fn by_ref(&self) -> u32;
        async fn by_mut_ref(&mut self) -> u32;
        async fn by_box(self: Box<Self>) -> u32;
        async fn by_arc(self: Arc<Self>) -> u32;
        async fn by_pin(self: Pin<&mut Self>) -> u32;
        async fn no_receiver(x: u32) -> u32
        where
            Self: Sized;
        // Defaults with each receiver: the `Self: Send`/`Sync` bounds are inferred.
        async fn default_ref(&self) -> u32 {
            self.value() * 10
        }
        async fn default_box(self: Box<Self>) -> u32 {
            self.value() * 100
        }
        async fn default_arc(self: Arc<Self>) -> u32 {
            self.value() * 1000
        }
        async fn default_value(self) -> u32
        where
            Self: Sized,
        {
            self.value() + 1
        }
    }

    #[derive(Clone)]
    struct Counter(u32);

    impl Named for Counter {
        fn value(&self) -> u32 {
            self.0
        }
    }

    #[async_trait_ext]
    impl Receivers for Counter {
        async fn by_value(self) -> u32 {
            yield_now().await;
            self.0
        }
        async fn by_mut_value(mut self) -> u32 {
            self.0 += 1;
            yield_now().await;
            self.0
        }
        async fn by_ref(&self) -> u32 {
            self.0 + 2
        }
        async fn by_mut_ref(&mut self) -> u32 {
            self.0 += 3;
            yield_now().await;
            self.0
        }
        async fn by_box(self: Box<Self>) -> u32 {
            self.0 + 4
        }
        async fn by_arc(self: Arc<Self>) -> u32 {
            self.0 + 5
        }
        async fn by_pin(self: Pin<&mut Self>) -> u32 {
            let this = self.get_mut();
            this.0 += 6;
            this.0
        }
        async fn no_receiver(x: u32) -> u32 {
            x * 2
        }
    }

    #[test]
    fn static_dispatch() {
        assert_eq!(block_on(Counter(1).by_value()), 1);
        assert_eq!(block_on(Counter(1).by_mut_value()), 2);
        assert_eq!(block_on(Counter(1).by_ref()), 3);
        let mut counter = Counter(1);
        assert_eq!(block_on(counter.by_mut_ref()), 4);
        assert_eq!(counter.0, 4);
        assert_eq!(block_on(Box::new(Counter(1)).by_box()), 5);
        assert_eq!(block_on(Arc::new(Counter(1)).by_arc()), 6);
        let mut pinned = Counter(1);
        assert_eq!(block_on(Pin::new(&mut pinned).by_pin()), 7);
        assert_eq!(pinned.0, 7);
        assert_eq!(block_on(Counter::no_receiver(21)), 42);
        assert_eq!(block_on(Counter(2).default_ref()), 20);
        assert_eq!(block_on(Box::new(Counter(2)).default_box()), 200);
        assert_eq!(block_on(Arc::new(Counter(2)).default_arc()), 2000);
        assert_eq!(block_on(Counter(2).default_value()), 3);
    }

    #[test]
    fn dyn_dispatch() {
        let mut boxed: Box<dyn Receivers + Send + Sync> = Box::new(Counter(1));
        assert_eq!(block_on(boxed.by_ref()), 3);
        assert_eq!(block_on(boxed.by_mut_ref()), 4);
        assert_eq!(block_on(boxed.default_ref()), 40);
        let shared: Arc<dyn Receivers + Send + Sync> = Arc::new(Counter(1));
        assert_eq!(block_on(Arc::clone(&shared).by_arc()), 6);
        assert_eq!(block_on(shared.default_arc()), 1000);
        let boxed: Box<dyn Receivers + Send + Sync> = Box::new(Counter(3));
        assert_eq!(block_on(boxed.by_box()), 7);
        let boxed: Box<dyn Receivers + Send + Sync> = Box::new(Counter(3));
        assert_eq!(block_on(boxed.default_box()), 300);
        let mut pinned: Pin<Box<dyn Receivers + Send + Sync>> = Box::pin(Counter(1));
        assert_eq!(block_on(pinned.as_mut().by_pin()), 7);
        assert_eq!(block_on(pinned.as_mut().by_pin()), 13);
        let by_ref: &dyn Receivers = &Counter(8);
        assert_eq!(block_on(by_ref.by_ref()), 10);
    }

    #[test]
    fn arc_dyn_spawned() {
        let shared: Arc<dyn Receivers + Send + Sync> = Arc::new(Counter(10));
        let rt = runtime();
        let a = rt.spawn({
            let shared = Arc::clone(&shared);
            async move { shared.by_ref().await }
        });
        let b = rt.spawn({
            let shared = Arc::clone(&shared);
            async move { shared.by_arc().await }
        });
        let c = rt.spawn(async move { shared.default_arc().await });
        assert_eq!(rt.block_on(a).unwrap(), 12);
        assert_eq!(rt.block_on(b).unwrap(), 15);
        assert_eq!(rt.block_on(c).unwrap(), 10_000);
    }
}

mod lifetimes {
    use super::*;
    use std::cell::Ref;
    use std::fmt::Write as _;

    struct Parser<'a> {
        input: &'a str,
    }

    #[async_trait_ext]
    trait Lifetimes<'t> {
        /// An elided output lifetime ties to `&self`, as in a native `async fn`.
        async fn first<'a>(&'a self, items: &'a [u32]) -> &'a u32;
        async fn elided(&self, a: &str, b: &mut String) -> usize;
        async fn in_path(&self, parser: Parser<'_>) -> &str;
        async fn trait_lifetime(&self, text: &'t str) -> &'t str;
        async fn with_static(&self, text: &'static str) -> &'static str;
        async fn default_borrows<'b>(&self, parts: &'b [&'t str]) -> String {
            let mut out = String::new();
            for part in parts {
                write!(out, "{part}").unwrap();
            }
            yield_now().await;
            out
        }
    }

    struct Impl;

    #[async_trait_ext]
    impl<'t> Lifetimes<'t> for Impl {
        async fn first<'a>(&'a self, items: &'a [u32]) -> &'a u32 {
            yield_now().await;
            &items[0]
        }
        async fn elided(&self, a: &str, b: &mut String) -> usize {
            yield_now().await;
            b.push_str(a);
            b.len()
        }
        async fn in_path(&self, parser: Parser<'_>) -> &str {
            let _ = parser.input;
            "parsed"
        }
        async fn trait_lifetime(&self, text: &'t str) -> &'t str {
            yield_now().await;
            &text[1..]
        }
        async fn with_static(&self, text: &'static str) -> &'static str {
            text
        }
    }

    /// `'_` inside a type path in argument position (`Ref` is not `Send`, hence `?Send`).
    #[async_trait_ext(?Send)]
    trait Cells {
        async fn read(&self, cell: Ref<'_, u32>) -> u32;
    }

    #[async_trait_ext(?Send)]
    impl Cells for Impl {
        async fn read(&self, cell: Ref<'_, u32>) -> u32 {
            *cell + 1
        }
    }

    #[test]
    fn static_and_dyn() {
        let items = [7, 8];
        assert_eq!(*block_on(Impl.first(&items)), 7);
        let mut buffer = String::from("ab");
        assert_eq!(block_on(Impl.elided("cd", &mut buffer)), 4);
        assert_eq!(buffer, "abcd");
        assert_eq!(block_on(Impl.in_path(Parser { input: "x" })), "parsed");
        let text = String::from("hello");
        assert_eq!(block_on(Impl.trait_lifetime(&text)), "ello");
        assert_eq!(block_on(Impl.with_static("s")), "s");
        assert_eq!(
            block_on(Impl.default_borrows(&[text.as_str(), "!"])),
            "hello!"
        );

        let object: &(dyn Lifetimes<'_> + Sync) = &Impl;
        assert_eq!(*block_on(object.first(&items)), 7);
        assert_eq!(block_on(object.trait_lifetime(&text)), "ello");
        assert_eq!(block_on(object.default_borrows(&["a", "b"])), "ab");

        let cell = std::cell::RefCell::new(41);
        assert_eq!(block_on(Impl.read(cell.borrow())), 42);
        let cells: Box<dyn Cells> = Box::new(Impl);
        assert_eq!(block_on(cells.read(cell.borrow())), 42);
    }
}

mod generics {
    use super::*;
    use std::fmt::Display;

    // As in async-trait, a trait's type parameter captured by a future needs a lifetime
    // bound of its own (here `'static`).
    #[async_trait_ext]
    trait Convert<T: Clone + Send + Sync + 'static, const N: usize> {
        async fn repeat(&self, value: T) -> Vec<T>;
        async fn describe<U>(&self, extra: U) -> String
        where
            U: Display + Send + 'static,
            Self: Sized;
        async fn sized_array<const M: usize>(&self, values: [u8; M]) -> usize
        where
            Self: Sized,
        {
            M * N + values.len()
        }
        async fn with_lifetime_param<'x, 'y: 'x>(&self, a: &'x str, b: &'y str) -> &'x str;
    }

    struct Repeater;

    #[async_trait_ext]
    impl<T: Clone + Send + Sync + Display + 'static, const N: usize> Convert<T, N> for Repeater {
        async fn repeat(&self, value: T) -> Vec<T> {
            yield_now().await;
            vec![value; N]
        }
        async fn describe<U>(&self, extra: U) -> String
        where
            U: Display + Send + 'static,
        {
            format!("{N} {extra}")
        }
        async fn with_lifetime_param<'x, 'y: 'x>(&self, a: &'x str, b: &'y str) -> &'x str {
            if a.len() > b.len() { a } else { b }
        }
    }

    #[test]
    fn static_and_dyn() {
        let repeater = Repeater;
        assert_eq!(block_on(Convert::<u8, 3>::repeat(&repeater, 2)), [2, 2, 2]);
        assert_eq!(block_on(Convert::<u8, 2>::describe(&repeater, "x")), "2 x");
        assert_eq!(
            block_on(Convert::<u8, 2>::sized_array(&repeater, [1, 2, 3])),
            9
        );
        assert_eq!(
            block_on(Convert::<u8, 2>::with_lifetime_param(&repeater, "ab", "c")),
            "ab"
        );
        let object: Box<dyn Convert<String, 2> + Send + Sync> = Box::new(Repeater);
        assert_eq!(block_on(object.repeat("s".into())), ["s", "s"]);
        assert_eq!(block_on(object.with_lifetime_param("a", "bcd")), "bcd");
    }
}

mod where_clauses_and_impl_trait {
    use super::*;
    use std::fmt::Debug;

    #[async_trait_ext]
    trait Sum<T>
    where
        T: Copy + Into<u64> + Send + Sync + 'static,
    {
        async fn sum(&self, items: impl IntoIterator<Item = T, IntoIter: Send> + Send) -> u64
        where
            Self: Sized;
        async fn debug(&self, value: &(impl Debug + Sync)) -> String
        where
            Self: Sized,
        {
            format!("{value:?}")
        }
        async fn total(&self, items: &[T]) -> u64;
    }

    struct Adder;

    #[async_trait_ext]
    impl<T> Sum<T> for Adder
    where
        T: Copy + Into<u64> + Send + Sync + 'static,
    {
        async fn sum(&self, items: impl IntoIterator<Item = T, IntoIter: Send> + Send) -> u64 {
            let mut total = 0;
            for item in items {
                yield_now().await;
                total += item.into();
            }
            total
        }
        async fn total(&self, items: &[T]) -> u64 {
            items.iter().map(|&x| x.into()).sum()
        }
    }

    #[test]
    fn static_and_dyn() {
        assert_eq!(block_on(Sum::<u8>::sum(&Adder, vec![1u8, 2, 3])), 6);
        assert_eq!(block_on(Sum::<u8>::debug(&Adder, &Some(1))), "Some(1)");
        let object: &dyn Sum<u32> = &Adder;
        assert_eq!(block_on(object.total(&[10, 20])), 30);
    }
}

mod patterns {
    use super::*;

    #[async_trait_ext]
    trait Patterns {
        async fn tuple(&self, (a, b): (u8, u8)) -> u8;
        async fn wild(&self, _: String, x: u8) -> u8;
        async fn mutable(&self, mut x: u32) -> u32;
        async fn nested(&self, [first, .., last]: [u8; 4], Pair { left, right }: Pair) -> u8;
        async fn default_patterns(&self, (a, mut b): (u8, u8)) -> u8 {
            b += a;
            b
        }
    }

    struct Pair {
        left: u8,
        right: u8,
    }

    struct Impl;

    #[async_trait_ext]
    impl Patterns for Impl {
        async fn tuple(&self, (a, b): (u8, u8)) -> u8 {
            yield_now().await;
            a * 10 + b
        }
        async fn wild(&self, _: String, x: u8) -> u8 {
            x
        }
        async fn mutable(&self, mut x: u32) -> u32 {
            x += 1;
            yield_now().await;
            x * 2
        }
        async fn nested(&self, [first, .., last]: [u8; 4], Pair { left, right }: Pair) -> u8 {
            first + last + left + right
        }
    }

    #[test]
    fn static_and_dyn() {
        assert_eq!(block_on(Impl.tuple((4, 2))), 42);
        assert_eq!(block_on(Impl.wild(String::new(), 9)), 9);
        assert_eq!(block_on(Impl.mutable(3)), 8);
        assert_eq!(
            block_on(Impl.nested([1, 0, 0, 2], Pair { left: 3, right: 4 })),
            10
        );
        let object: Box<dyn Patterns + Sync> = Box::new(Impl);
        assert_eq!(block_on(object.tuple((1, 2))), 12);
        assert_eq!(block_on(object.default_patterns((1, 2))), 3);
    }

    /// Arguments (pattern-bound and `_` ones too) live until the future ends, after the
    /// body's locals, as in a native `async fn`.
    struct Noisy(&'static str, Log);

    impl Drop for Noisy {
        fn drop(&mut self) {
            self.1.push(format!("drop {}", self.0));
        }
    }

    #[async_trait_ext]
    trait Drops {
        async fn run(&self, first: Noisy, _: Noisy, (third, _n): (Noisy, u8)) -> usize;
    }

    #[async_trait_ext]
    impl Drops for Impl {
        async fn run(&self, first: Noisy, _: Noisy, (third, _n): (Noisy, u8)) -> usize {
            let log = first.1.clone();
            let _local = Noisy("local", log.clone());
            log.push("body start");
            yield_now().await;
            log.push("body end");
            first.0.len() + third.0.len()
        }
    }

    #[test]
    fn arguments_are_dropped_when_the_future_ends() {
        let log = Log::default();
        let future = Impl.run(
            Noisy("first", log.clone()),
            Noisy("wild", log.clone()),
            (Noisy("third", log.clone()), 0),
        );
        assert!(
            log.events().is_empty(),
            "nothing runs or drops before the first poll"
        );
        assert_eq!(block_on(future), 10);
        assert_eq!(
            log.events(),
            [
                "body start",
                "body end",
                "drop local",
                "drop third",
                "drop wild",
                "drop first"
            ]
        );
    }
}

mod cfg_and_associated_items {
    use super::*;

    #[async_trait_ext]
    trait Configured {
        type Item: Send;
        const BASE: u32;
        async fn make(&self, #[cfg(any())] missing: u8, present: u32) -> Self::Item;
        #[cfg(any())]
        async fn never(&self) -> Self::Item;
        #[cfg(not(any()))]
        async fn always(&self) -> u32 {
            Self::BASE
        }
    }

    struct Impl;

    #[async_trait_ext]
    impl Configured for Impl {
        type Item = String;
        const BASE: u32 = 7;
        async fn make(&self, #[cfg(any())] missing: u8, present: u32) -> String {
            yield_now().await;
            format!("{}", present + Self::BASE)
        }
        #[cfg(any())]
        async fn never(&self) -> String {
            missing
        }
    }

    #[test]
    fn static_dispatch() {
        assert_eq!(block_on(Impl.make(1)), "8");
        assert_eq!(block_on(Impl.always()), 7);
        assert_eq!(<Impl as Configured>::BASE, 7);
    }

    /// A dyn-compatible trait with an associated type.
    #[async_trait_ext]
    trait Source {
        type Item;
        async fn next(&mut self) -> Option<Self::Item>;
    }

    struct Countdown(u8);

    #[async_trait_ext]
    impl Source for Countdown {
        type Item = u8;
        async fn next(&mut self) -> Option<u8> {
            yield_now().await;
            self.0 = self.0.checked_sub(1)?;
            Some(self.0)
        }
    }

    #[test]
    fn associated_type_through_dyn() {
        let mut source: Box<dyn Source<Item = u8> + Send> = Box::new(Countdown(2));
        assert_eq!(block_on(source.next()), Some(1));
        assert_eq!(block_on(source.next()), Some(0));
        assert_eq!(block_on(source.next()), None);
    }
}

mod unsafe_trait_and_sized_methods {
    use super::*;

    /// # Safety
    /// Implementors promise `id` is unique (nothing relies on it here).
    #[async_trait_ext]
    unsafe trait Unique {
        async fn id(&self) -> u32;
        async fn generic<T: Send + 'static>(&self, value: T) -> T
        where
            Self: Sized,
        {
            yield_now().await;
            value
        }
        async fn consume(self) -> u32
        where
            Self: Sized;
    }

    struct One;

    // SAFETY: nothing relies on the promise in this test.
    #[async_trait_ext]
    unsafe impl Unique for One {
        async fn id(&self) -> u32 {
            1
        }
        async fn consume(self) -> u32 {
            self.id().await + 1
        }
    }

    #[test]
    fn static_and_dyn() {
        assert_eq!(block_on(One.generic("v")), "v");
        assert_eq!(block_on(One.consume()), 2);
        let object: Arc<dyn Unique + Send + Sync> = Arc::new(One);
        let rt = runtime();
        assert_eq!(
            rt.block_on(rt.spawn(async move { object.id().await }))
                .unwrap(),
            1
        );
    }
}

mod macro_rules_generated {
    use super::*;

    macro_rules! define_trait {
        ($name:ident, $method:ident) => {
            #[async_trait_ext]
            trait $name {
                async fn $method(&self) -> u32;
                async fn twice(&self) -> u32 {
                    self.$method().await * 2
                }
            }
        };
    }

    macro_rules! implement {
        ($trait:ident for $ty:ident, $method:ident => $value:expr) => {
            #[async_trait_ext]
            impl $trait for $ty {
                async fn $method(&self) -> u32 {
                    yield_now().await;
                    self.0 + $value
                }
            }
        };
    }

    // The body with `self` written at the macro's call site, the receiver in the macro.
    macro_rules! implement_with_body {
        ($trait:ident for $ty:ident, |$this:ident| $body:expr) => {
            #[async_trait_ext]
            impl $trait for $ty {
                async fn get(&self) -> u32 {
                    let $this = self;
                    $body
                }
            }
        };
    }

    define_trait!(Value, get);

    struct Number(u32);
    struct Other(u32);

    implement!(Value for Number, get => 1);
    implement_with_body!(Value for Other, |this| this.0 * 100);

    #[test]
    fn static_and_dyn() {
        assert_eq!(block_on(Number(1).get()), 2);
        assert_eq!(block_on(Number(1).twice()), 4);
        assert_eq!(block_on(Other(2).get()), 200);
        let objects: Vec<Box<dyn Value + Sync>> = vec![Box::new(Number(3)), Box::new(Other(1))];
        let values: Vec<u32> = objects.iter().map(|o| block_on(o.twice())).collect();
        assert_eq!(values, [8, 200]);
    }
}

mod not_send {
    use super::*;
    use std::rc::Rc;

    /// A `?Send` trait: futures may hold an `Rc` across `.await`.
    #[async_trait_ext(?Send)]
    trait Local {
        async fn count(&self, shared: Rc<u32>) -> u32;
        async fn default_holds_rc(&self) -> usize {
            let rc = Rc::new(5);
            yield_now().await;
            Rc::strong_count(&rc) + *rc
        }
    }

    struct Impl(Rc<u32>);

    #[async_trait_ext(?Send)]
    impl Local for Impl {
        async fn count(&self, shared: Rc<u32>) -> u32 {
            let extra = Rc::clone(&shared);
            yield_now().await;
            *self.0 + *extra + u32::try_from(Rc::strong_count(&shared)).unwrap()
        }
    }

    #[test]
    fn runs_on_a_single_threaded_executor() {
        let object: Box<dyn Local> = Box::new(Impl(Rc::new(10)));
        let mut pool = futures::executor::LocalPool::new();
        let value = pool.run_until(async { object.count(Rc::new(1)).await });
        assert_eq!(value, 13);
        assert_eq!(pool.run_until(object.default_holds_rc()), 6);
        // No `Sync` needed for a `?Send` trait's default `&self` body.
        let by_ref: &dyn Local = &*object;
        assert_eq!(block_on(by_ref.default_holds_rc()), 6);
    }

    /// `?Send` on one method: the others stay `Send`.
    #[async_trait_ext]
    trait Mixed {
        #[async_trait_ext(?Send)]
        async fn local(&self) -> usize;
        async fn sendable(&self) -> usize;
        #[async_trait_ext(?Send)]
        async fn local_default(&self) -> usize {
            let rc = Rc::new(3);
            yield_now().await;
            *rc
        }
    }

    struct M;

    #[async_trait_ext]
    impl Mixed for M {
        #[async_trait_ext(?Send)]
        async fn local(&self) -> usize {
            let rc = Rc::new(1);
            yield_now().await;
            *rc + 1
        }
        async fn sendable(&self) -> usize {
            yield_now().await;
            3
        }
    }

    #[test]
    fn per_method_not_send() {
        let object: Arc<dyn Mixed + Send + Sync> = Arc::new(M);
        assert_eq!(block_on(object.local()), 2);
        assert_eq!(block_on(object.local_default()), 3);
        // The other method's future is still `Send`: it can be spawned.
        let rt = runtime();
        let spawned = rt.spawn(async move { object.sendable().await });
        assert_eq!(rt.block_on(spawned).unwrap(), 3);
    }
}

mod bodies {
    use super::*;
    use futures::stream::{self, Stream};

    #[async_trait_ext]
    trait Bodies {
        async fn early_return(&self, x: i32) -> Result<i32, String>;
        async fn question_mark(&self, input: &str) -> Result<u32, std::num::ParseIntError>;
        async fn unit(&self, log: &Log);
        async fn iterator(&self) -> Box<dyn Iterator<Item = u8> + Send>;
        async fn stream_sum(&self, numbers: impl Stream<Item = u32> + Send) -> u32
        where
            Self: Sized;
        async fn closures_and_blocks(&self) -> u32;
    }

    struct Impl(u32);

    #[async_trait_ext]
    impl Bodies for Impl {
        async fn early_return(&self, x: i32) -> Result<i32, String> {
            if x < 0 {
                return Err(format!("negative: {x}"));
            }
            yield_now().await;
            Ok(x * 2)
        }
        async fn question_mark(&self, input: &str) -> Result<u32, std::num::ParseIntError> {
            let parsed: u32 = input.parse()?;
            Ok(parsed + self.0)
        }
        async fn unit(&self, log: &Log) {
            log.push(format!("unit {}", self.0));
        }
        async fn iterator(&self) -> Box<dyn Iterator<Item = u8> + Send> {
            Box::new([1, 2].into_iter())
        }
        // The loop is rewritten by `#[async_trait_ext]` itself: no `#[for_await]` on the fn.
        async fn stream_sum(&self, numbers: impl Stream<Item = u32> + Send) -> u32 {
            let mut sum = self.0;
            #[for_await]
            for n in numbers {
                sum += n;
            }
            sum
        }
        async fn closures_and_blocks(&self) -> u32 {
            let add = |x: u32| x + self.0;
            let inner = async { self.0 * 2 }.await;
            println!("self.0 = {}", self.0);
            add(inner)
        }
    }

    #[test]
    fn bodies_behave_as_in_an_async_fn() {
        assert_eq!(
            block_on(Impl(0).early_return(-1)),
            Err("negative: -1".to_owned())
        );
        assert_eq!(block_on(Impl(0).early_return(2)), Ok(4));
        assert_eq!(block_on(Impl(1).question_mark("41")), Ok(42));
        assert!(block_on(Impl(1).question_mark("x")).is_err());
        let log = Log::default();
        block_on(Impl(3).unit(&log));
        assert_eq!(log.events(), ["unit 3"]);
        assert_eq!(block_on(Impl(0).iterator()).sum::<u8>(), 3);
        assert_eq!(block_on(Impl(1).stream_sum(stream::iter([1, 2, 3]))), 7);
        assert_eq!(block_on(Impl(2).closures_and_blocks()), 6);
        let object: &dyn Bodies = &Impl(5);
        assert_eq!(block_on(object.closures_and_blocks()), 15);
    }
}

mod async_trait_compatibility {
    //! A trait written for async-trait compiles and behaves the same with our import, and the
    //! two crates' traits and impls mix (same signatures).
    use super::*;

    // async-trait's README example, with the import changed.
    #[async_trait_ext]
    trait Advertisement {
        async fn run(&self) -> String;
    }

    struct Modal;

    #[async_trait_ext]
    impl Advertisement for Modal {
        async fn run(&self) -> String {
            self.render_fullscreen().await;
            let mut shown = String::new();
            for _ in 0..4u16 {
                shown.push_str(&remind_user_to_join_mailing_list().await);
            }
            self.hide_for_now().await;
            shown
        }
    }

    impl Modal {
        async fn render_fullscreen(&self) {
            yield_now().await;
        }
        async fn hide_for_now(&self) {
            yield_now().await;
        }
    }

    async fn remind_user_to_join_mailing_list() -> String {
        yield_now().await;
        "join!".to_owned()
    }

    struct AutoplayingVideo {
        media_url: String,
    }

    #[async_trait_ext]
    impl Advertisement for AutoplayingVideo {
        async fn run(&self) -> String {
            let stream = connect(&self.media_url).await;
            stream.play().await
        }
    }

    struct Stream(String);

    impl Stream {
        async fn play(&self) -> String {
            yield_now().await;
            format!("playing {}", self.0)
        }
    }

    async fn connect(url: &str) -> Stream {
        yield_now().await;
        Stream(url.to_owned())
    }

    #[test]
    fn readme_example() {
        let ads: Vec<Box<dyn Advertisement + Sync>> = vec![
            Box::new(Modal),
            Box::new(AutoplayingVideo {
                media_url: "u".into(),
            }),
        ];
        let shown: Vec<String> = ads.iter().map(|ad| block_on(ad.run())).collect();
        assert_eq!(shown, ["join!join!join!join!", "playing u"]);
    }

    /// A trait from a crate that uses async-trait, implemented with our attribute.
    #[async_trait::async_trait]
    trait TheirTrait {
        async fn fetch(&self, key: &str, extra: &mut Vec<u8>) -> usize;
        async fn owned<T: Send + 'static>(self, value: T) -> T
        where
            Self: Sized;
        async fn default_body(&self) -> u8 {
            5
        }
    }

    struct Ours;

    #[async_trait_ext]
    impl TheirTrait for Ours {
        async fn fetch(&self, key: &str, extra: &mut Vec<u8>) -> usize {
            extra.push(1);
            key.len() + extra.len()
        }
        async fn owned<T: Send + 'static>(self, value: T) -> T {
            value
        }
    }

    /// Our trait, implemented with async-trait's attribute.
    #[async_trait_ext]
    trait OurTrait {
        async fn fetch(&self, key: &str, extra: &mut Vec<u8>) -> usize;
        async fn default_body(&self) -> u8 {
            6
        }
    }

    struct Theirs;

    #[async_trait::async_trait]
    impl OurTrait for Theirs {
        async fn fetch(&self, key: &str, extra: &mut Vec<u8>) -> usize {
            extra.push(2);
            key.len() * 10 + extra.len()
        }
    }

    #[test]
    fn the_two_crates_mix() {
        let mut extra = Vec::new();
        assert_eq!(block_on(Ours.fetch("ab", &mut extra)), 3);
        assert_eq!(block_on(Ours.default_body()), 5);
        assert_eq!(block_on(Ours.owned("x")), "x");
        let theirs: Box<dyn OurTrait + Sync> = Box::new(Theirs);
        assert_eq!(block_on(theirs.fetch("ab", &mut extra)), 22);
        assert_eq!(block_on(theirs.default_body()), 6);
        let ours: &(dyn TheirTrait + Sync) = &Ours;
        assert_eq!(block_on(ours.fetch("", &mut extra)), 3);
    }
}
