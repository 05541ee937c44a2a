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

// Ported from async-trait's own regression suite (its `tests/test.rs`, one `mod issueNNN` per
// bug it guards against), with our import instead of `#[async_trait]` and with values asserted
// instead of "it compiles". A user changing the import must see the same behaviour.

mod issue_1 {
    //! A generic method in an impl for a generic type.
    use super::*;

    #[async_trait_ext]
    trait Issue1 {
        async fn f<U>(&self) -> usize;
    }

    #[async_trait_ext]
    impl<T: Sync> Issue1 for Vec<T> {
        async fn f<U>(&self) -> usize {
            self.len() * 10 + std::mem::size_of::<U>()
        }
    }

    #[test]
    fn generic_method_on_generic_impl() {
        assert_eq!(block_on(vec![1u8, 2].f::<u32>()), 24);
        assert_eq!(block_on(Vec::<()>::new().f::<()>()), 0);
    }
}

mod issue_2 {
    //! A default body awaiting `self`, a future, with `where Self::Output: Future + Send`.
    use super::*;
    use std::future::Future;

    #[async_trait_ext]
    trait Issue2: Future {
        async fn flatten(self) -> <Self::Output as Future>::Output
        where
            Self::Output: Future + Send,
            Self: Sized,
        {
            let nested_future = self.await;
            nested_future.await
        }
    }

    #[async_trait_ext]
    impl<F: Future + Send> Issue2 for F {}

    #[test]
    fn default_body_awaits_self() {
        let nested = std::future::ready(std::future::ready(5u8));
        assert_eq!(block_on(nested.flatten()), 5);
    }
}

mod issue_9 {
    //! `Self` taken as a plain (non-receiver) argument.
    use super::*;

    #[async_trait_ext]
    trait Issue9: Sized + Send {
        async fn f(x: Self) -> Self {
            x
        }
    }

    #[async_trait_ext]
    impl Issue9 for u16 {}

    #[test]
    fn self_as_an_argument() {
        assert_eq!(block_on(u16::f(9)), 9);
    }
}

mod issue_11 {
    //! `self: Arc<Self>` in the trait and the impl, static and `dyn`.
    use super::*;

    #[async_trait_ext]
    trait Issue11 {
        async fn example(self: Arc<Self>) -> usize;
    }

    struct Struct(usize);

    #[async_trait_ext]
    impl Issue11 for Struct {
        async fn example(self: Arc<Self>) -> usize {
            yield_now().await;
            self.0 + Arc::strong_count(&self)
        }
    }

    #[test]
    fn arc_self() {
        let value = Arc::new(Struct(10));
        assert_eq!(block_on(Arc::clone(&value).example()), 12);
        let object: Arc<dyn Issue11 + Send + Sync> = value;
        assert_eq!(block_on(object.example()), 11);
    }
}

mod issue_15 {
    //! A `dyn Trait + Send` inside an argument's type must not be taken for an `impl Trait`.
    use super::*;
    use std::marker::PhantomData;

    trait Marker {}

    #[async_trait_ext]
    trait Issue15 {
        async fn myfn(&self, _: PhantomData<dyn Marker + Send>) -> u8 {
            15
        }
    }

    #[async_trait_ext]
    impl Issue15 for () {}

    #[test]
    fn dyn_in_an_argument() {
        assert_eq!(block_on(().myfn(PhantomData)), 15);
    }
}

mod issue_17 {
    //! `self` inside a formatting macro.
    use super::*;

    #[async_trait_ext]
    trait Issue17 {
        async fn f(&self) -> String;
    }

    struct Struct {
        string: String,
    }

    #[async_trait_ext]
    impl Issue17 for Struct {
        async fn f(&self) -> String {
            format!("<{}>", self.string)
        }
    }

    #[test]
    fn self_in_a_macro() {
        let value = Struct {
            string: "s".to_owned(),
        };
        assert_eq!(block_on(value.f()), "<s>");
    }
}

mod issue_23 {
    //! `mut self` in the impl only, and in a `where Self: Sized` default body.
    use super::*;

    #[async_trait_ext]
    trait Issue23 {
        async fn f(self) -> u32;

        async fn g(mut self) -> u32
        where
            Self: Sized,
        {
            do_something(&mut self);
            0
        }
    }

    struct S(u32);

    #[async_trait_ext]
    impl Issue23 for S {
        async fn f(mut self) -> u32 {
            do_something(&mut self);
            self.0
        }
    }

    fn do_something<T>(_: &mut T) {}

    #[test]
    fn mut_self() {
        assert_eq!(block_on(S(23).f()), 23);
        assert_eq!(block_on(S(23).g()), 0);
    }
}

mod issue_28 {
    //! Trait lifetime parameters in arguments and return types, an impl for a reference type
    //! with a lifetime, and lifetimes that chain (`&'a &'b ()`).
    #![allow(clippy::needless_lifetimes)] // named lifetimes in impl headers are the case
    use super::*;

    struct Str<'a>(&'a str);

    #[async_trait_ext]
    trait Trait1<'a> {
        async fn f(x: Str<'a>) -> &'a str;
        async fn g(x: Str<'a>) -> &'a str {
            x.0
        }
    }

    #[async_trait_ext]
    impl<'a> Trait1<'a> for str {
        async fn f(x: Str<'a>) -> &'a str {
            &x.0[1..]
        }
    }

    #[async_trait_ext]
    trait Trait2 {
        async fn f() -> u8;
    }

    #[async_trait_ext]
    impl<'a> Trait2 for &'a () {
        async fn f() -> u8 {
            2
        }
    }

    #[async_trait_ext]
    trait Trait3<'a, 'b> {
        async fn f(x: &'a &'b u8) -> u8 {
            **x
        }
        async fn g(x: &'b u8) -> u8 {
            *x + 1
        }
        async fn h() -> u8 {
            3
        }
    }

    #[async_trait_ext]
    impl Trait3<'_, '_> for () {}

    #[test]
    fn trait_lifetimes() {
        let owned = String::from("xyz");
        let out: &str = block_on(<str as Trait1>::f(Str(&owned)));
        assert_eq!(out, "yz");
        assert_eq!(block_on(<str as Trait1>::g(Str(&owned))), "xyz");
        assert_eq!(block_on(<&() as Trait2>::f()), 2);
        let value = 7u8;
        assert_eq!(block_on(<() as Trait3>::f(&&value)), 7);
        assert_eq!(block_on(<() as Trait3>::g(&value)), 8);
        assert_eq!(block_on(<() as Trait3>::h()), 3);
    }
}

mod issue_31 {
    //! A default body calling another async method of the trait, twice.
    use super::*;

    struct Struct<'a> {
        name: &'a str,
    }

    #[async_trait_ext]
    trait Trait<'a> {
        async fn hello(thing: Struct<'a>) -> String;
        async fn hello_twice(one: Struct<'a>, two: Struct<'a>) -> String {
            let str1 = Self::hello(one).await;
            let str2 = Self::hello(two).await;
            str1 + &str2
        }
    }

    #[async_trait_ext]
    impl<'a> Trait<'a> for () {
        async fn hello(thing: Struct<'a>) -> String {
            yield_now().await;
            format!("hi {};", thing.name)
        }
    }

    #[test]
    fn default_calls_another_method() {
        let out = block_on(<()>::hello_twice(
            Struct { name: "a" },
            Struct { name: "b" },
        ));
        assert_eq!(out, "hi a;hi b;");
    }
}

mod issue_42 {
    //! An associated async function returning `Self`, with the impl naming the type.
    use super::*;

    #[async_trait_ext]
    trait Context: Sized {
        async fn from_parts() -> Self;
    }

    #[derive(Debug, PartialEq)]
    struct TokenContext(u8);

    #[async_trait_ext]
    impl Context for TokenContext {
        async fn from_parts() -> TokenContext {
            TokenContext(42)
        }
    }

    #[test]
    fn returns_self() {
        assert_eq!(block_on(TokenContext::from_parts()), TokenContext(42));
    }
}

mod issue_44 {
    //! A trait-level `where` clause on `Self`, and an impl with no items.
    use super::*;

    #[async_trait_ext]
    trait StaticWithWhereSelf
    where
        Box<Self>: Sized,
        Self: Sized + Send,
    {
        async fn get_one() -> u8 {
            1
        }
    }

    struct Struct;

    #[async_trait_ext]
    impl StaticWithWhereSelf for Struct {}

    #[test]
    fn where_self_on_the_trait() {
        assert_eq!(block_on(Struct::get_one()), 1);
    }
}

mod issue_46 {
    //! Generic parameters handed in by `macro_rules!` fragments (`tt` and `ident`).
    use super::*;

    macro_rules! commands_tt {
        ($tyargs:tt : $ty:tt) => {
            #[async_trait_ext]
            trait AsyncCommands1: Sized {
                async fn f<$tyargs: $ty + Into<u64>>(&mut self, x: $tyargs) -> u64 {
                    x.into()
                }
            }
        };
    }

    commands_tt!(K: Send);

    macro_rules! commands_ident {
        ($tyargs:ident : $ty:ident) => {
            #[async_trait_ext]
            trait AsyncCommands2: Sized {
                async fn f<$tyargs: $ty + Into<u64>>(&mut self, x: $tyargs) -> u64 {
                    x.into() + 1
                }
            }
        };
    }

    commands_ident! { K: Send }

    #[async_trait_ext]
    impl AsyncCommands1 for () {}
    #[async_trait_ext]
    impl AsyncCommands2 for () {}

    #[test]
    fn generics_from_macro_fragments() {
        assert_eq!(block_on(AsyncCommands1::f(&mut (), 5u8)), 5);
        assert_eq!(block_on(AsyncCommands2::f(&mut (), 5u32)), 6);
    }
}

mod issue_53 {
    //! `Self` as a unit, tuple and struct constructor in bodies.
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Unit;
    #[derive(Debug, PartialEq)]
    struct Tuple(u8);
    #[derive(Debug, PartialEq)]
    struct Struct {
        x: u8,
    }

    #[async_trait_ext]
    trait Trait: Sized {
        async fn method() -> Self;
    }

    #[async_trait_ext]
    impl Trait for Unit {
        async fn method() -> Self {
            Self
        }
    }

    #[async_trait_ext]
    impl Trait for Tuple {
        async fn method() -> Self {
            Self(1)
        }
    }

    #[async_trait_ext]
    impl Trait for Struct {
        async fn method() -> Self {
            Self { x: 2 }
        }
    }

    #[async_trait_ext]
    impl Trait for std::marker::PhantomData<Struct> {
        async fn method() -> Self {
            Self
        }
    }

    #[test]
    fn self_constructors() {
        assert_eq!(block_on(Unit::method()), Unit);
        assert_eq!(block_on(Tuple::method()), Tuple(1));
        assert_eq!(block_on(Struct::method()), Struct { x: 2 });
        block_on(<std::marker::PhantomData<Struct>>::method());
    }
}

mod issue_57 {
    //! Type and const generics together on a method.
    use super::*;

    #[async_trait_ext]
    trait Trait {
        async fn const_generic<T: Send, const C: usize>(values: [T; C]) -> usize;
    }

    #[async_trait_ext]
    impl Trait for () {
        async fn const_generic<T: Send, const C: usize>(values: [T; C]) -> usize {
            values.len() + C
        }
    }

    #[test]
    fn const_generic_method() {
        assert_eq!(block_on(<()>::const_generic([0u8; 10])), 20);
    }
}

mod issue_68 {
    //! A `macro_rules!` defined inside a body, naming `self` and `Self`.
    use super::*;

    #[async_trait_ext]
    trait Example {
        fn id(&self) -> u8;
        async fn method(&self) -> u8 {
            macro_rules! t {
                () => {{
                    let this: &Self = self;
                    this.id()
                }};
            }
            t!()
        }
    }

    #[async_trait_ext]
    impl Example for u8 {
        fn id(&self) -> u8 {
            *self
        }
    }

    #[test]
    fn macro_in_body() {
        assert_eq!(block_on(68u8.method()), 68);
    }
}

mod issue_73 {
    //! `Self::CONST` in a default body.
    use super::*;

    #[async_trait_ext]
    trait Example {
        const ASSOCIATED: &'static str;

        async fn associated(&self) -> String {
            format!("Associated:{}", Self::ASSOCIATED)
        }
    }

    #[async_trait_ext]
    impl Example for () {
        const ASSOCIATED: &'static str = "x";
    }

    #[test]
    fn self_const_in_default_body() {
        assert_eq!(block_on(().associated()), "Associated:x");
    }
}

mod issue_81_87 {
    //! `Self::Variant` in patterns and expressions against `self`.
    use super::*;

    #[async_trait_ext]
    trait Trait {
        async fn handle(&self) -> u8;
    }

    enum Enum {
        Variant,
    }

    enum Tuple {
        V(u8),
    }

    enum Struct {
        V { x: u8 },
    }

    #[async_trait_ext]
    impl Trait for Enum {
        async fn handle(&self) -> u8 {
            let Enum::Variant = self;
            let Self::Variant = self;
            81
        }
    }

    #[async_trait_ext]
    impl Trait for Tuple {
        async fn handle(&self) -> u8 {
            let Self::V(x) = self;
            let Self::V(y) = Self::V(*x + 1);
            y
        }
    }

    #[async_trait_ext]
    impl Trait for Struct {
        async fn handle(&self) -> u8 {
            let Self::V { x } = self;
            let Self::V { x: y } = Self::V { x: *x * 2 };
            y
        }
    }

    #[test]
    fn self_variants() {
        assert_eq!(block_on(Enum::Variant.handle()), 81);
        assert_eq!(block_on(Tuple::V(86).handle()), 87);
        let object: &(dyn Trait + Sync) = &Struct::V { x: 4 };
        assert_eq!(block_on(object.handle()), 8);
    }
}

mod issue_83 {
    //! `self: &Self` spelled out, in a default body.
    use super::*;

    #[async_trait_ext]
    trait Trait: Sync {
        fn value(&self) -> u8;
        async fn f(&self) -> u8 {
            self.value()
        }
        async fn g(self: &Self) -> u8 {
            self.value() + 1
        }
    }

    #[async_trait_ext]
    impl Trait for u8 {
        fn value(&self) -> u8 {
            *self
        }
    }

    #[test]
    fn explicit_ref_self() {
        assert_eq!(block_on(82u8.f()), 82);
        assert_eq!(block_on(82u8.g()), 83);
        let object: &dyn Trait = &1u8;
        assert_eq!(block_on(object.g()), 2);
    }
}

mod issue_85 {
    //! `#[allow]` on a method is kept, under a `deny` of the module.
    #![deny(non_snake_case)]
    use super::*;

    #[async_trait_ext]
    trait Trait {
        #[allow(non_snake_case)]
        async fn camelCase() -> u8;
    }

    struct Struct;

    #[async_trait_ext]
    impl Trait for Struct {
        #[allow(non_snake_case)]
        async fn camelCase() -> u8 {
            85
        }
    }

    #[test]
    fn attributes_kept() {
        assert_eq!(block_on(Struct::camelCase()), 85);
    }
}

mod issue_89 {
    //! Impls for trait object types.
    use super::*;

    #[async_trait_ext]
    trait Trait {
        async fn f(&self) -> u8;
    }

    #[async_trait_ext]
    impl Trait for dyn Send + Sync {
        async fn f(&self) -> u8 {
            1
        }
    }

    #[async_trait_ext]
    impl Trait for dyn Fn(u8) -> u8 + Send + Sync {
        async fn f(&self) -> u8 {
            self(2)
        }
    }

    #[test]
    fn impls_for_dyn() {
        let marker: &(dyn Send + Sync) = &();
        assert_eq!(block_on(marker.f()), 1);
        let function: &(dyn Fn(u8) -> u8 + Send + Sync) = &|x| x * 10;
        assert_eq!(block_on(function.f()), 20);
    }
}

mod issue_92 {
    //! `Self` and its items reached through a `macro_rules!` in bodies and in the `where`
    //! clause: the macro's `Self` must still mean the implementor.
    use super::*;

    macro_rules! mac {
        ($($tt:tt)*) => {
            $($tt)*
        };
    }

    struct Struct<T> {
        x: T,
    }

    impl<T> Struct<T> {
        const ASSOCIATED1: u8 = 1;
        fn associated1() -> u8 {
            10
        }
    }

    #[async_trait_ext]
    trait Trait
    where
        mac!(Self): Send,
    {
        const ASSOCIATED2: u8;
        type Associated2: Default + Into<u8>;

        async fn associated2(&self) -> u8 {
            let a: Self::Associated2 = mac!(Default::default());
            let b: mac!(<Self as Trait>::Associated2) = Default::default();
            mac!(a.into() + b.into() + Self::ASSOCIATED2 + <Self as Trait>::ASSOCIATED2)
        }
    }

    #[async_trait_ext]
    impl<T: Send + Sync + Copy + Into<u8>> Trait for Struct<T>
    where
        mac!(Self): Send,
    {
        const ASSOCIATED2: u8 = 2;
        type Associated2 = u8;

        async fn associated2(&self) -> u8 {
            let inherent = mac!(Self::ASSOCIATED1 + <Self>::ASSOCIATED1 + Self::associated1());
            let field: u8 = mac!(self.x.into());
            mac!(inherent + field + Self::ASSOCIATED2 + <Self as Trait>::ASSOCIATED2)
        }
    }

    struct Unit;

    #[async_trait_ext]
    impl Trait for Unit {
        const ASSOCIATED2: u8 = 3;
        type Associated2 = u8;
    }

    #[test]
    fn self_through_macros() {
        assert_eq!(block_on(Struct { x: 100u8 }.associated2()), 116);
        assert_eq!(block_on(Unit.associated2()), 6);
    }
}

mod issue_92_2 {
    //! A default body calling a supertrait's function from a macro and a nested macro.
    use super::*;

    trait Trait1 {
        fn func1(log: &Log);
    }

    macro_rules! mac {
        ($($tt:tt)*) => {
            $($tt)*
        };
    }

    #[async_trait_ext]
    trait Trait2: Trait1 {
        async fn func2(log: &Log) {
            mac!(Self::func1(log));

            macro_rules! mac2 {
                ($($tt:tt)*) => {
                    Self::func1($($tt)*);
                };
            }
            mac2!(log);
        }
    }

    impl Trait1 for () {
        fn func1(log: &Log) {
            log.push("func1");
        }
    }

    #[async_trait_ext]
    impl Trait2 for () {}

    #[test]
    fn supertrait_function_in_macros() {
        let log = Log::default();
        block_on(<()>::func2(&log));
        assert_eq!(log.events(), ["func1", "func1"]);
    }
}

mod issue_104 {
    //! An impl produced by `macro_rules!` with `$ty` and `$id:expr` fragments.
    use super::*;

    #[async_trait_ext]
    trait T1 {
        async fn id(&self) -> i32;
    }

    macro_rules! impl_t1 {
        ($ty:ty, $id:expr) => {
            #[async_trait_ext]
            impl T1 for $ty {
                async fn id(&self) -> i32 {
                    $id
                }
            }
        };
    }

    struct Foo;
    struct Bar;

    impl_t1!(Foo, 1);
    impl_t1!(Bar, 2 + 40);

    #[test]
    fn impls_from_macro() {
        assert_eq!(block_on(Foo.id()), 1);
        let object: Box<dyn T1> = Box::new(Bar);
        assert_eq!(block_on(object.id()), 42);
    }
}

mod issue_106 {
    //! A generic method whose bounds name an associated type, in an impl for `&P` with
    //! `P: ?Sized`.
    use super::*;
    use std::future::Future;

    #[async_trait_ext]
    trait ProcessPool: Send + Sync {
        type ThreadPool;

        async fn spawn<F, Fut, T>(&self, work: F) -> T
        where
            F: FnOnce(&Self::ThreadPool) -> Fut + Send,
            Fut: Future<Output = T> + Send + 'static;
    }

    struct Pool(u32);

    #[async_trait_ext]
    impl ProcessPool for Pool {
        type ThreadPool = u32;

        async fn spawn<F, Fut, T>(&self, work: F) -> T
        where
            F: FnOnce(&Self::ThreadPool) -> Fut + Send,
            Fut: Future<Output = T> + Send + 'static,
        {
            work(&self.0).await
        }
    }

    #[async_trait_ext]
    impl<P> ProcessPool for &P
    where
        P: ?Sized + ProcessPool,
    {
        type ThreadPool = P::ThreadPool;

        async fn spawn<F, Fut, T>(&self, work: F) -> T
        where
            F: FnOnce(&Self::ThreadPool) -> Fut + Send,
            Fut: Future<Output = T> + Send + 'static,
        {
            (**self).spawn(work).await
        }
    }

    #[test]
    fn forwarding_impl_for_a_reference() {
        let pool = Pool(106);
        let by_ref = &pool;
        let out = block_on(by_ref.spawn(|n: &u32| std::future::ready(*n + 1)));
        assert_eq!(out, 107);
    }
}

mod issue_110 {
    //! An impl for a type with an elided lifetime (`Loader<'_>`).
    use super::*;
    use std::marker::PhantomData;

    #[async_trait_ext]
    trait Loader {
        async fn load(&self, key: &str) -> usize;
    }

    struct AwsEc2MetadataLoader<'a> {
        marker: PhantomData<&'a ()>,
    }

    #[async_trait_ext]
    impl Loader for AwsEc2MetadataLoader<'_> {
        async fn load(&self, key: &str) -> usize {
            let _ = self.marker;
            key.len()
        }
    }

    #[test]
    fn elided_lifetime_in_impl_type() {
        let loader = AwsEc2MetadataLoader {
            marker: PhantomData,
        };
        assert_eq!(block_on(loader.load("abc")), 3);
    }
}

mod issue_120_145_147_154_183 {
    //! Clippy lints that async-trait's expansions used to trip, denied around our expansions:
    //! `trivially_copy_pass_by_ref` (`&self` of `()`), `type_complexity`, `let_unit_value`
    //! (`-> ()`), `items_after_statements` (a `const` in a body), `shadow_same` (arguments
    //! rebound inside the future).
    #![deny(
        clippy::trivially_copy_pass_by_ref,
        clippy::type_complexity,
        clippy::let_unit_value,
        clippy::items_after_statements,
        clippy::shadow_same
    )]
    use super::*;

    #[async_trait_ext]
    trait Trait {
        async fn f(&self) -> u16;
        #[allow(clippy::unused_unit)]
        async fn y() -> ();
        async fn z(n: i32) -> i32 {
            n
        }
    }

    #[async_trait_ext]
    impl Trait for () {
        async fn f(&self) -> u16 {
            const MAX: u16 = 128;
            MAX
        }
        #[allow(clippy::unused_unit)]
        async fn y() -> () {}
    }

    #[async_trait_ext]
    trait ManageConnection: Sized + Send + Sync + 'static {
        type Connection: Send + 'static;
        type Error: Send + 'static;

        async fn connect(&self) -> Result<Self::Connection, Self::Error>;
    }

    #[async_trait_ext]
    impl ManageConnection for () {
        type Connection = u8;
        type Error = String;

        async fn connect(&self) -> Result<u8, String> {
            Ok(145)
        }
    }

    #[test]
    fn lint_clean() {
        assert_eq!(block_on(().f()), 128);
        block_on(<()>::y());
        assert_eq!(block_on(<()>::z(183)), 183);
        assert_eq!(block_on(().connect()), Ok(145));
    }
}

mod issue_123 {
    //! A defaulted trait parameter and an explicit `'async_trait` bound, as async-trait
    //! users write it.
    use super::*;

    #[async_trait_ext]
    trait Trait<T = ()> {
        async fn f(&self) -> &str
        where
            T: 'async_trait,
        {
            "default"
        }
    }

    #[async_trait_ext]
    impl<T> Trait<T> for () {}

    #[test]
    fn named_async_trait_lifetime() {
        assert_eq!(block_on(Trait::<u8>::f(&())), "default");
    }
}

mod issue_129 {
    //! An unused `_b` next to a used argument.
    use super::*;

    #[async_trait_ext]
    trait TestTrait {
        async fn a(_b: u8, c: u8) -> u8 {
            c
        }
    }

    struct TestStruct;

    #[async_trait_ext]
    impl TestTrait for TestStruct {
        async fn a(_b: u8, c: u8) -> u8 {
            c + 1
        }
    }

    #[async_trait_ext]
    impl TestTrait for () {}

    #[test]
    fn underscore_arguments() {
        assert_eq!(block_on(TestStruct::a(0, 128)), 129);
        assert_eq!(block_on(<()>::a(0, 129)), 129);
    }
}

mod issue_134 {
    //! A const generic on a by-value `where Self: Sized` method.
    use super::*;

    #[async_trait_ext]
    trait TestTrait {
        async fn run<const DUMMY: bool>(self) -> bool
        where
            Self: Sized,
        {
            DUMMY
        }
    }

    struct TestStruct;

    #[async_trait_ext]
    impl TestTrait for TestStruct {
        async fn run<const DUMMY: bool>(self) -> bool
        where
            Self: Sized,
        {
            !DUMMY
        }
    }

    #[async_trait_ext]
    impl TestTrait for () {}

    #[test]
    fn const_bool() {
        assert!(block_on(TestStruct.run::<false>()));
        assert!(block_on(().run::<true>()));
    }
}

mod drop_order {
    //! Arguments are dropped in the same order as in a plain `async fn`: an ignored `_`
    //! argument when the body ends, not before it runs.
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};

    struct Flagger<'a>(&'a AtomicBool);

    impl Drop for Flagger<'_> {
        fn drop(&mut self) {
            self.0.fetch_xor(true, Ordering::AcqRel);
        }
    }

    #[async_trait_ext]
    trait Trait {
        async fn async_trait(_: Flagger<'_>, flag: &AtomicBool);
    }

    struct Struct;

    #[async_trait_ext]
    impl Trait for Struct {
        async fn async_trait(_: Flagger<'_>, flag: &AtomicBool) {
            flag.fetch_or(true, Ordering::AcqRel);
        }
    }

    #[allow(clippy::unused_async)] // the plain `async fn` the trait methods are compared with
    async fn standalone(_: Flagger<'_>, flag: &AtomicBool) {
        flag.fetch_or(true, Ordering::AcqRel);
    }

    #[async_trait_ext]
    trait SelfTrait {
        async fn async_trait(self, flag: &AtomicBool);
    }

    #[async_trait_ext]
    impl SelfTrait for Flagger<'_> {
        async fn async_trait(self, flag: &AtomicBool) {
            flag.fetch_or(true, Ordering::AcqRel);
        }
    }

    #[test]
    fn test_drop_order() {
        // false | true = true, then ^ true = false when the flagger drops after the body;
        // the other order leaves true.
        let flag = AtomicBool::new(false);
        block_on(standalone(Flagger(&flag), &flag));
        assert!(!flag.load(Ordering::Acquire));

        block_on(Struct::async_trait(Flagger(&flag), &flag));
        assert!(!flag.load(Ordering::Acquire));

        block_on(Flagger(&flag).async_trait(&flag));
        assert!(!flag.load(Ordering::Acquire));
    }
}

mod issue_149 {
    //! `return` of a `&'static dyn Trait` from a default body.
    use super::*;

    struct Thing;
    trait Ret {
        fn n(&self) -> u8;
    }
    impl Ret for Thing {
        fn n(&self) -> u8 {
            149
        }
    }

    #[async_trait_ext]
    trait Trait {
        async fn fail() -> &'static dyn Ret {
            return &Thing;
        }
    }

    #[async_trait_ext]
    impl Trait for () {}

    #[test]
    fn return_static_dyn() {
        assert_eq!(block_on(<()>::fail()).n(), 149);
    }
}

mod issue_158 {
    //! `self::f()`, a path through the current module, in a body: not the receiver.
    use super::*;

    fn f() -> u8 {
        158
    }

    #[async_trait_ext]
    #[allow(unused_qualifications)]
    trait Trait {
        async fn f(&self) -> u8 {
            self::f()
        }
    }

    #[async_trait_ext]
    impl Trait for () {}

    #[test]
    fn self_module_path() {
        assert_eq!(block_on(().f()), 158);
    }
}

mod issue_161 {
    //! `self` inside an async block inside `futures::select!`, with `self: Arc<Self>`.
    use super::*;
    use futures::future::FutureExt;

    #[async_trait_ext]
    trait Trait {
        async fn f(self: Arc<Self>) -> bool;
    }

    struct MyStruct(bool);

    #[async_trait_ext]
    impl Trait for MyStruct {
        #[allow(clippy::mut_mut)]
        async fn f(self: Arc<Self>) -> bool {
            futures::select! {
                value = async { self.0 }.fuse() => value,
            }
        }
    }

    #[test]
    fn self_in_select() {
        assert!(block_on(Arc::new(MyStruct(true)).f()));
    }
}

mod issue_169 {
    //! A `::core::marker::Sync` supertrait makes a default `&self` body callable through a
    //! bare `&dyn Trait`.
    use super::*;

    #[async_trait_ext]
    #[allow(unused_qualifications)]
    trait Trait: ::core::marker::Sync {
        async fn f(&self) -> u8 {
            169
        }
    }

    #[async_trait_ext]
    impl Trait for () {}

    fn call(t: &dyn Trait) -> u8 {
        block_on(t.f())
    }

    #[test]
    fn sync_supertrait_path() {
        assert_eq!(call(&()), 169);
    }
}

mod issue_177 {
    //! An `impl FnMut(&str) + Send` argument with a higher-ranked elided lifetime.
    use super::*;

    #[async_trait_ext]
    trait Trait {
        async fn foo(&self, mut callback: impl FnMut(&str) + Send) {
            callback("default");
        }
    }

    struct Struct;

    #[async_trait_ext]
    impl Trait for Struct {
        async fn foo(&self, mut callback: impl FnMut(&str) + Send) {
            callback("impl");
        }
    }

    #[async_trait_ext]
    impl Trait for () {}

    #[test]
    fn impl_fn_mut_argument() {
        let mut seen = Vec::new();
        block_on(Struct.foo(|s| seen.push(s.to_owned())));
        block_on(().foo(|s| seen.push(s.to_owned())));
        assert_eq!(seen, ["impl", "default"]);
    }
}

mod issue_199 {
    //! `?Send`: arguments live in the future from the call on, and are dropped with it even
    //! if it is never polled.
    use super::*;
    use std::cell::Cell;

    struct IncrementOnDrop<'a>(&'a Cell<usize>);

    impl Drop for IncrementOnDrop<'_> {
        fn drop(&mut self) {
            self.0.set(self.0.get() + 1);
        }
    }

    #[async_trait_ext(?Send)]
    trait Trait {
        async fn f(counter: &Cell<usize>, arg: IncrementOnDrop<'_>) -> usize;
    }

    struct Struct;

    #[async_trait_ext(?Send)]
    impl Trait for Struct {
        async fn f(counter: &Cell<usize>, _: IncrementOnDrop<'_>) -> usize {
            counter.get() // second arg not dropped yet
        }
    }

    #[test]
    fn dropped_with_the_future() {
        let counter = Cell::new(0);
        let future = Struct::f(&counter, IncrementOnDrop(&counter));
        assert_eq!(counter.get(), 0);
        drop(future);
        assert_eq!(counter.get(), 1);
        assert_eq!(block_on(Struct::f(&counter, IncrementOnDrop(&counter))), 1);
        assert_eq!(counter.get(), 2);
    }
}

mod issue_204 {
    //! `impl Trait` behind a reference and a raw pointer in arguments (neither is `Send`, so
    //! the methods say `?Send`, on the trait and on the impl, as async-trait needs too).
    use super::*;

    #[async_trait_ext]
    trait Trait {
        fn n(&self) -> u8;
        #[async_trait_ext(?Send)]
        async fn f(arg: &impl Trait) -> u8;
        #[async_trait_ext(?Send)]
        async fn g(arg: *const impl Trait) -> usize;
    }

    #[async_trait_ext]
    impl Trait for u8 {
        fn n(&self) -> u8 {
            *self
        }
        #[async_trait_ext(?Send)]
        async fn f(arg: &impl Trait) -> u8 {
            arg.n() * 2
        }
        #[async_trait_ext(?Send)]
        async fn g(arg: *const impl Trait) -> usize {
            usize::from(arg.is_null())
        }
    }

    #[test]
    fn impl_trait_behind_pointers() {
        assert_eq!(block_on(u8::f(&102u8)), 204);
        assert_eq!(block_on(u8::g(std::ptr::null::<u8>())), 1);
    }
}

mod issue_210 {
    //! A default body with `self: Arc<Self>`.
    use super::*;

    #[async_trait_ext]
    trait Trait {
        async fn f(self: Arc<Self>) -> usize {
            Arc::strong_count(&self)
        }
    }

    #[async_trait_ext]
    impl Trait for () {}

    #[test]
    fn arc_self_default() {
        let value = Arc::new(());
        let other = Arc::clone(&value);
        assert_eq!(block_on(value.f()), 2);
        drop(other);
    }
}

mod issue_226 {
    //! `#[cfg]` on arguments of an impl method, with names, `_` and tuple patterns.
    #![allow(clippy::non_minimal_cfg)] // `any()`/`all()`: always off/on, as in async-trait's test
    use super::*;

    #[async_trait_ext]
    trait Trait {
        async fn cfg_param(&self, param: u8) -> u8;
        async fn cfg_param_wildcard(&self, _: u8) -> u8;
        async fn cfg_param_tuple(&self, (left, right): (u8, u8)) -> u8;
    }

    struct Struct;

    #[async_trait_ext]
    impl Trait for Struct {
        async fn cfg_param(&self, #[cfg(any())] param: u8, #[cfg(all())] unused: u8) -> u8 {
            unused
        }

        async fn cfg_param_wildcard(&self, #[cfg(any())] _: u8, #[cfg(all())] _: u8) -> u8 {
            226
        }

        async fn cfg_param_tuple(
            &self,
            #[cfg(any())] (left, right): (u8, u8),
            #[cfg(all())] (left, right): (u8, u8),
        ) -> u8 {
            left * 10 + right
        }
    }

    #[test]
    fn cfg_arguments() {
        assert_eq!(block_on(Struct.cfg_param(1)), 1);
        assert_eq!(block_on(Struct.cfg_param_wildcard(1)), 226);
        assert_eq!(block_on(Struct.cfg_param_tuple((2, 3))), 23);
    }
}

mod issue_232 {
    //! Patterns against a reference to a trait parameter (`(a, b): &(T, T)`).
    use super::*;

    #[async_trait_ext]
    trait Generic<T> {
        async fn take_ref(&self, thing: &T) -> usize;
    }

    struct One;

    #[async_trait_ext]
    impl<T: Sync> Generic<T> for One {
        async fn take_ref(&self, _: &T) -> usize {
            1
        }
    }

    struct Two;

    #[async_trait_ext]
    impl<T: Sync + Copy + Into<usize>> Generic<(T, T)> for Two {
        async fn take_ref(&self, (a, b): &(T, T)) -> usize {
            (*a).into() + (*b).into()
        }
    }

    struct Three;

    #[async_trait_ext]
    impl<T: Sync> Generic<(T, T, T)> for Three {
        async fn take_ref(&self, (_a, _b, _c): &(T, T, T)) -> usize {
            3
        }
    }

    #[test]
    fn reference_patterns() {
        assert_eq!(block_on(One.take_ref(&"x")), 1);
        assert_eq!(block_on(Two.take_ref(&(2u8, 30u8))), 32);
        assert_eq!(block_on(Three.take_ref(&(0, 0, 0))), 3);
    }
}

mod issue_234 {
    //! Tuple-struct patterns with `_` and `..` on an argument that has a destructor.
    use super::*;

    struct Droppable<'a>(&'a Log);

    impl Drop for Droppable<'_> {
        fn drop(&mut self) {
            self.0.push("drop");
        }
    }

    struct Tuple<T, U>(T, U);

    #[async_trait_ext]
    trait Trait {
        async fn f(arg: Tuple<Droppable<'_>, i32>, log: &Log);
    }

    struct UnderscorePattern;

    #[async_trait_ext]
    impl Trait for UnderscorePattern {
        async fn f(Tuple(_, int): Tuple<Droppable<'_>, i32>, log: &Log) {
            log.push(format!("body {int}"));
        }
    }

    struct DotDotPattern;

    #[async_trait_ext]
    impl Trait for DotDotPattern {
        async fn f(Tuple { 1: int, .. }: Tuple<Droppable<'_>, i32>, log: &Log) {
            log.push(format!("body {int}"));
        }
    }

    #[allow(clippy::unused_async)] // the plain `async fn` the trait methods are compared with
    async fn standalone(Tuple(_, int): Tuple<Droppable<'_>, i32>, log: &Log) {
        log.push(format!("body {int}"));
    }

    #[test]
    fn wildcard_fields_drop_after_the_body() {
        let log = Log::default();
        block_on(standalone(Tuple(Droppable(&log), 0), &log));
        assert_eq!(log.events(), ["body 0", "drop"]);
        let log = Log::default();
        block_on(UnderscorePattern::f(Tuple(Droppable(&log), 1), &log));
        block_on(DotDotPattern::f(Tuple(Droppable(&log), 2), &log));
        // As in a plain `async fn`: the argument lives until the body ends.
        assert_eq!(log.events(), ["body 1", "drop", "body 2", "drop"]);
        // The call moves the whole argument into the future, `_` field included.
        let log = Log::default();
        let future = UnderscorePattern::f(Tuple(Droppable(&log), 3), &log);
        assert!(log.events().is_empty());
        drop(future);
        assert_eq!(log.events(), ["drop"]);
    }
}

mod issue_236 {
    //! A method returning a future type is not `clippy::async_yields_async` in our expansion
    //! (an `async fn` returning one is not either).
    #![deny(clippy::async_yields_async)]
    use super::*;
    use std::future::{self, Ready};

    #[async_trait_ext]
    trait Trait {
        async fn f() -> Ready<u8> {
            future::ready(236)
        }
    }

    #[async_trait_ext]
    impl Trait for () {}

    #[test]
    fn returns_a_future() {
        assert_eq!(block_on(block_on(<()>::f())), 236);
    }
}

mod issue_238 {
    //! `single_use_lifetimes` denied around an impl for `&Struct`.
    #![deny(single_use_lifetimes)]
    use super::*;

    #[async_trait_ext]
    trait Trait {
        async fn f() -> u8;
    }

    struct Struct;

    #[async_trait_ext]
    impl Trait for &Struct {
        async fn f() -> u8 {
            238
        }
    }

    #[test]
    fn reference_impl() {
        assert_eq!(block_on(<&Struct>::f()), 238);
    }
}

mod user_patterns {
    //! Patterns users of async-trait write that its suite does not name: raw identifiers,
    //! labeled breaks and closures over `self`, nested async blocks, `Self::CONST`, doc
    //! comments, a generic associated type, `?Send` with an `Rc` held across `.await`.
    use super::*;
    use std::rc::Rc;

    #[async_trait_ext]
    trait Raw {
        /// A method named with a keyword.
        async fn r#fn(&self, r#type: u8) -> u8;
        /// A generic associated type in a boxed trait.
        type Item<'x>
        where
            Self: 'x;
        async fn first<'x>(&'x self) -> Option<Self::Item<'x>>;
    }

    struct Words(Vec<String>);

    impl Words {
        const LIMIT: usize = 2;
    }

    #[async_trait_ext]
    impl Raw for Words {
        async fn r#fn(&self, r#type: u8) -> u8 {
            // A labeled loop, a closure and a nested async block, each reading `self`.
            let count = |words: &Self| words.0.len();
            let mut seen = 0;
            'outer: for word in &self.0 {
                for _ in word.chars() {
                    if seen == Self::LIMIT + usize::from(r#type) {
                        break 'outer;
                    }
                    seen += 1;
                }
            }
            let nested = async { self.0.iter().map(String::len).sum::<usize>() }.await;
            u8::try_from(seen * 100 + nested * 10 + count(self)).unwrap_or(u8::MAX)
        }
        type Item<'x> = &'x str;
        async fn first<'x>(&'x self) -> Option<&'x str> {
            yield_now().await;
            self.0.first().map(String::as_str)
        }
    }

    #[async_trait_ext(?Send)]
    trait Shared {
        async fn total(&self) -> usize;
    }

    #[async_trait_ext(?Send)]
    impl Shared for Rc<Vec<usize>> {
        async fn total(&self) -> usize {
            let held = Rc::clone(self);
            yield_now().await;
            held.iter().sum::<usize>() + Rc::strong_count(&held)
        }
    }

    #[test]
    fn raw_identifiers_gat_and_self_in_nested_scopes() {
        let words = Words(vec!["ab".into(), "c".into()]);
        // seen = 3 (stops at LIMIT + 1), nested = 3, count = 2
        assert_eq!(block_on(words.r#fn(1)), u8::MAX);
        assert_eq!(block_on(words.r#fn(0)), 232);
        assert_eq!(block_on(words.first()), Some("ab"));
        let values = Rc::new(vec![1, 2]);
        assert_eq!(block_on(values.total()), 5);
    }
}

mod nested_items {
    //! `self` in items nested in a body (an `impl` with its own `&self` methods, a `fn`, a
    //! trait with a default method) is that item's own, not the method's receiver; `Self`
    //! inside a nested `impl` is the nested type.
    use super::*;

    #[async_trait_ext]
    trait Outer {
        fn base(&self) -> u8;
        async fn nested(&self) -> u8 {
            struct Inner(u8);
            impl Inner {
                fn get(&self) -> u8 {
                    self.0
                }
                fn make() -> Self {
                    Self(1)
                }
            }
            trait Double {
                fn double(&self) -> u8;
            }
            impl Double for u8 {
                fn double(&self) -> u8 {
                    *self * 2
                }
            }
            fn helper(value: &Inner) -> u8 {
                value.get() + Inner::make().0
            }
            helper(&Inner(self.base())).double()
        }
    }

    struct Seven;

    #[async_trait_ext]
    impl Outer for Seven {
        fn base(&self) -> u8 {
            7
        }
    }

    struct Impl(u8);

    #[async_trait_ext]
    impl Outer for Impl {
        fn base(&self) -> u8 {
            self.0
        }
        async fn nested(&self) -> u8 {
            struct Inner(u8);
            impl Inner {
                fn get(&self) -> u8 {
                    self.0 + 100
                }
            }
            let closure = move |inner: &Inner| inner.get() + self.0;
            closure(&Inner(self.0))
        }
    }

    #[test]
    fn nested_items_keep_their_own_self() {
        assert_eq!(block_on(Seven.nested()), 16);
        assert_eq!(block_on(Impl(1).nested()), 102);
    }
}

mod forwarding_impls {
    //! The blanket forwarding impls every real trait grows: for `Box<T>`, `Arc<T>` and `&T`
    //! with `T: ?Sized`, so `Box<dyn Store>` is itself a `Store` for generic code.
    use super::*;

    #[async_trait_ext]
    trait Store {
        async fn get(&self, key: &str) -> usize;
        async fn bump(&mut self) -> usize;
    }

    struct Memory(usize);

    #[async_trait_ext]
    impl Store for Memory {
        async fn get(&self, key: &str) -> usize {
            self.0 + key.len()
        }
        async fn bump(&mut self) -> usize {
            self.0 += 1;
            self.0
        }
    }

    #[async_trait_ext]
    impl<T: Store + ?Sized + Send + Sync> Store for Box<T> {
        async fn get(&self, key: &str) -> usize {
            (**self).get(key).await + 1000
        }
        async fn bump(&mut self) -> usize {
            (**self).bump().await
        }
    }

    #[async_trait_ext]
    impl<T: Store + ?Sized + Send + Sync> Store for Arc<T> {
        async fn get(&self, key: &str) -> usize {
            (**self).get(key).await + 2000
        }
        async fn bump(&mut self) -> usize {
            match Arc::get_mut(self) {
                Some(inner) => inner.bump().await,
                None => 0,
            }
        }
    }

    async fn generic<S: Store + ?Sized>(store: &mut S) -> (usize, usize) {
        (store.bump().await, store.get("ab").await)
    }

    #[test]
    fn forwarding_to_dyn() {
        let mut boxed: Box<dyn Store + Send + Sync> = Box::new(Memory(0));
        assert_eq!(block_on(generic(&mut boxed)), (1, 1003));
        assert_eq!(block_on(generic(&mut *boxed)), (2, 4));
        let mut shared: Arc<dyn Store + Send + Sync> = Arc::new(Memory(5));
        assert_eq!(block_on(generic(&mut shared)), (6, 2008));
        let _other = Arc::clone(&shared);
        assert_eq!(block_on(generic(&mut shared)), (0, 2008));
    }
}

mod more_signatures {
    //! `impl Trait` nested in an argument type, an `async unsafe fn`, and an associated-type
    //! binding on the trait object (`dyn Trait<Item = u8>`).
    use super::*;
    use std::fmt::Display;

    #[async_trait_ext]
    trait Signatures {
        type Item;
        async fn joined(&self, parts: Vec<impl Display + Send>) -> String
        where
            Self: Sized;
        /// # Safety
        /// `ptr` must be valid for reads.
        #[async_trait_ext(?Send)] // a raw pointer argument: the future is not `Send`
        async unsafe fn read(&self, ptr: *const u8) -> u8
        where
            Self: Sized;
        async fn item(&self) -> Self::Item;
    }

    struct Impl;

    #[async_trait_ext]
    impl Signatures for Impl {
        type Item = u8;
        async fn joined(&self, parts: Vec<impl Display + Send>) -> String {
            parts
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("-")
        }
        #[async_trait_ext(?Send)]
        async unsafe fn read(&self, ptr: *const u8) -> u8 {
            // SAFETY: the caller promises `ptr` is valid.
            unsafe { *ptr }
        }
        async fn item(&self) -> u8 {
            8
        }
    }

    #[test]
    fn nested_impl_trait_unsafe_fn_and_assoc_binding() {
        assert_eq!(block_on(Impl.joined(vec![1, 2, 3])), "1-2-3");
        let value = 42u8;
        // SAFETY: `&value` is valid for reads.
        assert_eq!(block_on(unsafe { Impl.read(&raw const value) }), 42);
        let object: &(dyn Signatures<Item = u8> + Sync) = &Impl;
        assert_eq!(block_on(object.item()), 8);
    }
}

/// The fixes for a default `&self` body's `Self: Sync` (async-trait's rule), each compiling
/// and running: a `Sync` bound on the caller or the trait object, or a `Sync` supertrait (then
/// a bare `dyn` works). The third, `?Send`, is `not_send::runs_on_a_single_threaded_executor`: in
/// boxed mode a type that is not `Sync` has no `Send` future for any `&self` method, so only a
/// `?Send` trait serves it.
mod default_body_sync_fixes {
    use super::*;

    #[async_trait_ext]
    trait Counter {
        async fn step(&self) -> u32;
        async fn twice(&self) -> u32 {
            let first = self.step().await;
            first + self.step().await
        }
    }

    /// `Send` and `Sync`.
    struct Steps(std::sync::atomic::AtomicU32);

    #[async_trait_ext]
    impl Counter for Steps {
        async fn step(&self) -> u32 {
            yield_now().await;
            self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1
        }
    }

    async fn bounded<C: Counter + Sync + ?Sized>(counter: &C) -> u32 {
        counter.twice().await
    }

    #[test]
    fn a_sync_bound_on_the_caller_or_the_object() {
        let steps = Steps(std::sync::atomic::AtomicU32::new(0));
        assert_eq!(block_on(bounded(&steps)), 1 + 2);
        let object: &(dyn Counter + Sync) = &steps;
        assert_eq!(block_on(bounded(object)), 3 + 4);
    }

    #[async_trait_ext]
    trait SyncCounter: Sync {
        async fn step(&self) -> u32;
        async fn twice(&self) -> u32 {
            self.step().await + self.step().await
        }
    }

    #[async_trait_ext]
    impl SyncCounter for Steps {
        async fn step(&self) -> u32 {
            Counter::step(self).await
        }
    }

    #[test]
    fn a_sync_supertrait_makes_a_bare_dyn_work() {
        let steps = Steps(std::sync::atomic::AtomicU32::new(10));
        let object: &dyn SyncCounter = &steps;
        assert_eq!(block_on(object.twice()), 11 + 12);
    }
}
