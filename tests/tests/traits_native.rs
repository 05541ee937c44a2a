//! Native mode of `#[async_trait_ext]`: `impl Future` methods, plain `async fn` impls (no
//! attribute), and the `Dyn` companion for dynamic dispatch.

use std::future::Future;
use std::pin::{Pin, pin};
use std::rc::Rc;
use std::sync::Arc;
use std::task::Poll;

use async_ext::async_trait_ext;
use async_ext_tests::{CountingAllocator, Log, count_allocations, poll_once, yield_now};
use futures::executor::block_on;

#[global_allocator]
static ALLOC: CountingAllocator = CountingAllocator;

/// Drives `future` to completion on the current thread with a no-op waker: no allocation.
fn run<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    loop {
        if let Poll::Ready(output) = poll_once(future.as_mut()) {
            return output;
        }
    }
}

fn assert_send<T: Send>(value: T) -> T {
    value
}

#[async_trait_ext(native)]
trait Store {
    /// Looks a key up.
    async fn get(&self, key: &str) -> Option<u32>;
    async fn put(&mut self, key: String, value: u32);
    /// Default body: counts nothing unless overridden.
    async fn len(&self) -> usize {
        0
    }
    async fn describe(&self) -> String {
        format!("{} with {} entries", self.name(), self.len().await)
    }
    fn name(&self) -> &str;
}

#[derive(Default)]
struct Memory {
    entries: Vec<(String, u32)>,
}

// No attribute: impls of a native trait are plain `async fn`s.
impl Store for Memory {
    async fn get(&self, key: &str) -> Option<u32> {
        yield_now().await;
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
    }

    async fn put(&mut self, key: String, value: u32) {
        yield_now().await;
        self.entries.push((key, value));
    }

    async fn len(&self) -> usize {
        self.entries.len()
    }

    fn name(&self) -> &'static str {
        "memory"
    }
}

/// Keeps every default body.
struct Empty;

impl Store for Empty {
    async fn get(&self, _key: &str) -> Option<u32> {
        None
    }

    async fn put(&mut self, _key: String, _value: u32) {}

    fn name(&self) -> &'static str {
        "empty"
    }
}

fn memory_with(entries: &[(&str, u32)]) -> Memory {
    Memory {
        entries: entries.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect(),
    }
}

#[test]
fn impls_need_no_attribute_and_static_dispatch_works() {
    let mut memory = Memory::default();
    block_on(async {
        memory.put("a".into(), 1).await;
        assert_eq!(memory.get("a").await, Some(1));
        assert_eq!(memory.get("b").await, None);
        assert_eq!(memory.len().await, 1);
        assert_eq!(memory.describe().await, "memory with 1 entries");
    });
    assert_eq!(memory.name(), "memory");
}

#[test]
fn default_bodies_run_unless_overridden() {
    block_on(async {
        assert_eq!(Empty.len().await, 0);
        assert_eq!(Empty.describe().await, "empty with 0 entries");
    });
}

/// Generic code gets `Send` futures from a `T: Store` bound alone: what a native `async fn`
/// in a trait cannot promise on stable.
fn generic_futures_are_send<S: Store + Sync>(
    store: &S,
) -> impl Future<Output = Option<u32>> + Send + '_ {
    assert_send(store.get("a"))
}

#[test]
fn generic_callers_see_send_futures() {
    let memory = memory_with(&[("a", 3)]);
    assert_eq!(block_on(generic_futures_are_send(&memory)), Some(3));
}

async fn lookup<S: Store + ?Sized>(store: &S, key: &str) -> Option<u32> {
    store.get(key).await
}

async fn insert<S: Store + ?Sized>(store: &mut S, key: &str, value: u32) {
    store.put(key.to_owned(), value).await;
}

#[test]
fn companion_boxed_owns_its_value() {
    let mut store: Box<DynStore<'static>> = DynStore::boxed(Memory::default());
    block_on(async {
        store.put("k".into(), 7).await;
        assert_eq!(store.get("k").await, Some(7));
        assert_eq!(store.len().await, 1);
        assert_eq!(store.describe().await, "memory with 1 entries");
    });
    assert_eq!(store.name(), "memory");
}

#[test]
fn companion_from_ref_and_from_mut_borrow_the_value() {
    let mut memory = memory_with(&[("a", 1)]);
    {
        let store: &mut DynStore<'_> = DynStore::from_mut(&mut memory);
        block_on(insert(store, "b", 2));
    }
    let store: &DynStore<'_> = DynStore::from_ref(&memory);
    assert_eq!(block_on(lookup(store, "a")), Some(1));
    assert_eq!(block_on(lookup(store, "b")), Some(2));
    assert_eq!(memory.entries.len(), 2);
}

#[test]
fn companion_from_box_and_plain_coercions() {
    let boxed: Box<Memory> = Box::new(memory_with(&[("x", 9)]));
    let store = DynStore::from_box(boxed);
    assert_eq!(block_on(store.get("x")), Some(9));
    // The companion is a trait object, so the usual unsizing coercions work as well.
    let shared: Arc<DynStore<'static>> = Arc::new(memory_with(&[("y", 4)]));
    assert_eq!(block_on(shared.get("y")), Some(4));
}

#[test]
fn companion_mixes_implementors_and_keeps_default_bodies() {
    let stores: Vec<Box<DynStore<'static>>> = vec![
        DynStore::boxed(memory_with(&[("a", 1)])),
        DynStore::boxed(Empty),
    ];
    let described: Vec<String> = stores
        .iter()
        .map(|store| block_on(store.describe()))
        .collect();
    assert_eq!(described, ["memory with 1 entries", "empty with 0 entries"]);
}

#[test]
fn companion_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync + ?Sized>() {}
    assert_send_sync::<DynStore<'static>>();
    let store = DynStore::boxed(memory_with(&[("a", 5)]));
    assert_eq!(block_on(assert_send(store.get("a"))), Some(5));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boxed_companion_moves_into_a_spawned_task() {
    let store: Box<DynStore<'static>> = DynStore::boxed(memory_with(&[("k", 42)]));
    let handle = tokio::spawn(async move {
        let value = store.get("k").await;
        (value, store.describe().await)
    });
    assert_eq!(
        handle.await.unwrap(),
        (Some(42), "memory with 1 entries".to_owned())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generic_store_moves_into_a_spawned_task() {
    async fn spawn_lookup<S: Store + Send + Sync + 'static>(store: Arc<S>) -> Option<u32> {
        tokio::spawn(async move { store.get("k").await })
            .await
            .unwrap()
    }
    assert_eq!(
        spawn_lookup(Arc::new(memory_with(&[("k", 8)]))).await,
        Some(8)
    );
}

// ----- allocation counts -----

#[inline(never)]
fn static_call<S: Store>(store: &S, key: &str) -> Option<u32> {
    run(store.get(key))
}

#[inline(never)]
fn companion_call(store: &DynStore<'_>, key: &str) -> Option<u32> {
    run(store.get(key))
}

#[test]
fn a_static_call_allocates_nothing() {
    let memory = memory_with(&[("a", 1)]);
    let (value, allocations) = count_allocations(|| static_call(&memory, "a"));
    assert_eq!((value, allocations), (Some(1), 0));
    let (value, allocations) = count_allocations(|| run(memory.describe()));
    // A default body adds nothing to what its own code allocates (here, `format!`'s).
    let (expected, format_allocations) =
        count_allocations(|| format!("{} with {} entries", memory.name(), std::hint::black_box(1)));
    assert_eq!(value, expected);
    assert_eq!(allocations, format_allocations);
}

#[test]
fn a_companion_call_with_a_small_future_allocates_nothing() {
    let memory = memory_with(&[("a", 1)]);
    let store = DynStore::from_ref(&memory);
    let (value, allocations) = count_allocations(|| companion_call(store, "a"));
    // `Memory::get`'s future fits the companion's inline storage: no box.
    assert_eq!((value, allocations), (Some(1), 0));
    let (name, allocations) = count_allocations(|| store.name().to_owned());
    // A sync method through the companion: the only allocation is `to_owned`.
    assert_eq!((name.as_str(), allocations), ("memory", 1));
}

#[async_trait_ext(native)]
trait Checksum {
    async fn checksum(&self, seed: u8) -> u32;
}

/// Its future holds a 1 KiB buffer across an `.await`: too large to be stored inline.
struct Buffered;

impl Checksum for Buffered {
    async fn checksum(&self, seed: u8) -> u32 {
        let buffer = [seed; 1024];
        yield_now().await;
        buffer.iter().map(|&byte| u32::from(byte)).sum()
    }
}

#[inline(never)]
fn checksum_call(value: &DynChecksum<'_>, seed: u8) -> u32 {
    run(value.checksum(seed))
}

#[test]
fn a_companion_call_with_a_large_future_allocates_exactly_once() {
    let value = DynChecksum::from_ref(&Buffered);
    let (sum, allocations) = count_allocations(|| checksum_call(value, 2));
    assert_eq!((sum, allocations), (2048, 1));
    // Statically, the same call allocates nothing.
    let (sum, allocations) = count_allocations(|| run(Buffered.checksum(3)));
    assert_eq!((sum, allocations), (3072, 0));
}

// ----- `dyn = Name`, `dyn = none` -----

#[async_trait_ext(native, dyn = AnyCounter)]
trait Counter {
    async fn next(&mut self) -> u32;
}

struct Up(u32);

impl Counter for Up {
    async fn next(&mut self) -> u32 {
        self.0 += 1;
        self.0
    }
}

#[test]
fn dyn_name_renames_the_companion() {
    let mut counter: Box<AnyCounter<'_>> = AnyCounter::boxed(Up(10));
    assert_eq!(block_on(counter.next()), 11);
    assert_eq!(block_on(counter.next()), 12);
}

#[async_trait_ext(native, dyn = none)]
trait Identified {
    const ID: u32;
    async fn id(&self) -> u32 {
        Self::ID
    }
}

impl Identified for Up {
    const ID: u32 = 7;
}

#[test]
fn dyn_none_allows_associated_consts() {
    assert_eq!(block_on(Up(0).id()), 7);
}

// ----- `?Send` -----

#[async_trait_ext(native, ?Send)]
trait LocalStore {
    async fn get(&self) -> u32;
    async fn twice(&self) -> u32 {
        let shared = Rc::new(2);
        yield_now().await;
        self.get().await * *shared
    }
}

struct Local(Rc<u32>);

impl LocalStore for Local {
    async fn get(&self) -> u32 {
        let held = Rc::clone(&self.0);
        yield_now().await;
        *held
    }
}

#[test]
fn relaxed_send_allows_rc_across_await() {
    let local = Local(Rc::new(21));
    assert_eq!(block_on(local.get()), 21);
    assert_eq!(block_on(local.twice()), 42);
    let store: Box<DynLocalStore<'_>> = DynLocalStore::boxed(Local(Rc::new(5)));
    assert_eq!(block_on(store.twice()), 10);
    let (value, allocations) = count_allocations(|| run(store.get()));
    assert_eq!((value, allocations), (5, 0));
}

#[async_trait_ext(native)]
trait Mixed {
    async fn shared(&self) -> u32;
    #[async_trait_ext(?Send)]
    async fn local(&self) -> u32;
}

struct Both;

impl Mixed for Both {
    async fn shared(&self) -> u32 {
        1
    }

    async fn local(&self) -> u32 {
        let held = Rc::new(2);
        yield_now().await;
        *held
    }
}

#[test]
fn relaxed_send_on_one_method() {
    let mixed = DynMixed::boxed(Both);
    assert_eq!(block_on(assert_send(mixed.shared())), 1);
    assert_eq!(block_on(mixed.local()), 2);
}

// ----- generics and associated types through the companion -----

#[async_trait_ext(native)]
trait Source<K: Clone + Send + Sync, const N: usize> {
    type Item: Clone + Send;
    type Error: std::fmt::Debug;
    async fn fetch(&self, key: K) -> Result<[Self::Item; N], Self::Error>;
    fn last(&self) -> Option<Self::Item>;
}

struct Repeat(u8);

impl Source<String, 2> for Repeat {
    type Item = u8;
    type Error = String;

    async fn fetch(&self, key: String) -> Result<[u8; 2], String> {
        yield_now().await;
        if key.is_empty() {
            Err("empty key".to_owned())
        } else {
            Ok([self.0; 2])
        }
    }

    fn last(&self) -> Option<u8> {
        Some(self.0)
    }
}

async fn fetch_generic<S>(source: &S, key: &str) -> Result<[S::Item; 2], S::Error>
where
    S: Source<String, 2> + ?Sized,
{
    source.fetch(key.to_owned()).await
}

#[test]
fn generics_and_associated_types_are_companion_parameters() {
    let source: Box<DynSource<'static, String, 2, u8, String>> = DynSource::boxed(Repeat(3));
    assert_eq!(block_on(source.fetch("k".into())), Ok([3, 3]));
    assert_eq!(
        block_on(fetch_generic(&*source, "")),
        Err("empty key".to_owned())
    );
    assert_eq!(source.last(), Some(3));
}

// ----- receivers -----

#[async_trait_ext(native)]
trait Receivers {
    async fn by_ref(&self) -> u32;
    async fn by_mut(&mut self) -> u32;
    async fn by_box(self: Box<Self>) -> u32;
    async fn by_arc(self: Arc<Self>) -> u32;
    async fn by_pin(self: Pin<&mut Self>) -> u32;
    async fn by_value(self) -> u32
    where
        Self: Sized;
    async fn by_mut_value(mut self) -> u32
    where
        Self: Sized,
    {
        self.by_mut().await + 100
    }
}

struct Number(u32);

impl Receivers for Number {
    async fn by_ref(&self) -> u32 {
        self.0
    }

    async fn by_mut(&mut self) -> u32 {
        self.0 += 1;
        self.0
    }

    async fn by_box(self: Box<Self>) -> u32 {
        self.0 * 10
    }

    async fn by_arc(self: Arc<Self>) -> u32 {
        self.0 * 20
    }

    async fn by_pin(mut self: Pin<&mut Self>) -> u32 {
        self.0 += 5;
        self.0
    }

    async fn by_value(self) -> u32 {
        self.0
    }
}

#[test]
fn every_receiver_works_statically() {
    block_on(async {
        let mut number = Number(1);
        assert_eq!(number.by_ref().await, 1);
        assert_eq!(number.by_mut().await, 2);
        assert_eq!(Pin::new(&mut number).by_pin().await, 7);
        assert_eq!(Box::new(Number(2)).by_box().await, 20);
        assert_eq!(Arc::new(Number(2)).by_arc().await, 40);
        assert_eq!(Number(3).by_value().await, 3);
        assert_eq!(Number(3).by_mut_value().await, 104);
    });
}

#[test]
fn pointer_receivers_work_through_the_companion() {
    block_on(async {
        let mut boxed = DynReceivers::boxed(Number(1));
        assert_eq!(boxed.by_mut().await, 2);
        assert_eq!(boxed.by_ref().await, 2);
        let mut pinned = Box::into_pin(boxed);
        assert_eq!(pinned.as_mut().by_pin().await, 7);
        assert_eq!(DynReceivers::boxed(Number(4)).by_box().await, 40);
        let shared: Arc<DynReceivers<'static>> = Arc::new(Number(4));
        assert_eq!(shared.by_arc().await, 80);
    });
}

// ----- lifetimes -----

struct Words<'w>(&'w str);

#[async_trait_ext(native)]
trait Lifetimes<'a> {
    async fn pick<'b>(&self, items: &'b [&'a str], index: usize) -> &'b str;
    async fn measure(&self, first: &str, second: Option<&'_ str>, words: Words<'_>) -> usize;
    async fn name(&self) -> &str;
}

struct Picker(String);

impl<'a> Lifetimes<'a> for Picker {
    async fn pick<'b>(&self, items: &'b [&'a str], index: usize) -> &'b str {
        yield_now().await;
        items[index]
    }

    async fn measure(&self, first: &str, second: Option<&str>, words: Words<'_>) -> usize {
        yield_now().await;
        first.len() + second.map_or(0, str::len) + words.0.len()
    }

    async fn name(&self) -> &str {
        &self.0
    }
}

#[test]
fn elided_and_named_lifetimes() {
    let owned = String::from("ccc");
    let items = ["a", "bb", owned.as_str()];
    let picker = Picker("picker".to_owned());
    block_on(async {
        assert_eq!(picker.pick(&items, 2).await, "ccc");
        assert_eq!(picker.measure("a", Some("bb"), Words("ccc")).await, 6);
        let store: &DynLifetimes<'_, '_> = DynLifetimes::from_ref(&picker);
        assert_eq!(store.pick(&items, 1).await, "bb");
        assert_eq!(store.measure("a", None, Words(&owned)).await, 4);
        assert_eq!(store.name().await, "picker");
    });
}

// ----- generic methods, `impl Trait` arguments, `where` clauses -----

#[async_trait_ext(native)]
trait Render {
    async fn render<T: std::fmt::Display + Send>(&self, value: T) -> String
    where
        Self: Sized;
    async fn render_all(&self, values: impl Into<Vec<u32>> + Send) -> String
    where
        Self: Sized,
    {
        let mut out = String::new();
        for value in values.into() {
            out.push_str(&self.render(value).await);
        }
        out
    }
    async fn prefix(&self) -> String;
}

struct Brackets;

impl Render for Brackets {
    async fn render<T: std::fmt::Display + Send>(&self, value: T) -> String {
        format!("[{}{value}]", self.prefix().await)
    }

    async fn prefix(&self) -> String {
        "#".to_owned()
    }
}

#[test]
fn generic_methods_and_impl_trait_arguments_stay_out_of_the_companion() {
    assert_eq!(block_on(Brackets.render(1)), "[#1]");
    assert_eq!(block_on(Brackets.render_all([1, 2])), "[#1][#2]");
    let dynamic = DynRender::boxed(Brackets);
    assert_eq!(block_on(dynamic.prefix()), "#");
}

#[async_trait_ext(native)]
trait Bounded<T>
where
    T: Clone + Send + Sync,
{
    async fn duplicate(&self, value: T) -> (T, T) {
        (value.clone(), value)
    }
}

impl Bounded<String> for Brackets {}

#[test]
fn where_clauses_on_the_trait() {
    let dynamic: &DynBounded<'_, String> = DynBounded::from_ref(&Brackets);
    assert_eq!(
        block_on(dynamic.duplicate("x".to_owned())),
        ("x".to_owned(), "x".to_owned())
    );
}

// ----- default bodies: arguments move into the future, patterns bind inside -----

struct Guard(&'static str, Log);

impl Drop for Guard {
    fn drop(&mut self) {
        self.1.push(format!("drop {}", self.0));
    }
}

#[async_trait_ext(native)]
trait Patterns {
    async fn consume(&self, _: Guard, (a, b): (u32, u32), mut c: u32, kept: Guard) -> u32 {
        yield_now().await;
        c += 1;
        kept.1.push("body");
        a + b + c
    }
}

impl Patterns for Brackets {}

#[test]
fn default_body_arguments_live_until_the_future_ends() {
    let log = Log::default();
    let mut future = pin!(Brackets.consume(
        Guard("wild", log.clone()),
        (1, 2),
        3,
        Guard("kept", log.clone())
    ));
    assert!(poll_once(future.as_mut()).is_pending());
    // As with a native `async fn`, nothing is dropped when the method is called.
    assert_eq!(log.events(), Vec::<String>::new());
    assert_eq!(poll_once(future.as_mut()), Poll::Ready(7));
    // Then, at the end of the body, in reverse order of declaration.
    assert_eq!(log.events(), ["body", "drop kept", "drop wild"]);
}

// ----- `#[cfg]` -----

#[async_trait_ext(native)]
trait Configured {
    #[cfg(not(test))]
    async fn never(&self) -> u32;
    #[cfg(test)]
    async fn always(&self) -> u32 {
        1
    }
}

impl Configured for Brackets {}

#[async_trait_ext(native, dyn = none)]
trait ConfiguredArguments {
    async fn sum(&self, a: u32, #[cfg(test)] b: u32, #[cfg(not(test))] c: u32) -> u32 {
        a + b
    }
}

impl ConfiguredArguments for Brackets {}

#[test]
fn cfg_on_methods_and_arguments() {
    assert_eq!(block_on(DynConfigured::boxed(Brackets).always()), 1);
    assert_eq!(block_on(Brackets.sum(1, 2)), 3);
}

// ----- supertraits, `unsafe trait`, traits made by `macro_rules!` -----

#[async_trait_ext(native)]
trait Shared: Send + Sync {
    async fn value(&self) -> u32;
}

impl Shared for Brackets {
    async fn value(&self) -> u32 {
        5
    }
}

/// # Safety
///
/// No contract: the test only checks that an `unsafe trait` expands.
#[async_trait_ext(native, dyn = none)]
unsafe trait Marked {
    async fn mark(&self) -> u32;
}

// SAFETY: `Marked` has no safety contract; the test only checks that `unsafe trait` expands.
unsafe impl Marked for Brackets {
    async fn mark(&self) -> u32 {
        9
    }
}

macro_rules! define_trait {
    ($name:ident) => {
        #[async_trait_ext(native)]
        trait $name {
            fn base(&self) -> u32;
            async fn next(&self) -> u32 {
                self.base() + 1
            }
        }
    };
}

define_trait!(FromMacro);

impl FromMacro for Brackets {
    fn base(&self) -> u32 {
        1
    }
}

#[test]
fn supertraits_unsafe_traits_and_macro_rules() {
    let shared = DynShared::boxed(Brackets);
    assert_eq!(block_on(shared.value()), 5);
    assert_eq!(block_on(Brackets.mark()), 9);
    assert_eq!(block_on(Brackets.next()), 2);
    assert_eq!(block_on(DynFromMacro::from_ref(&Brackets).next()), 2);
}

// ----- hygiene: generated code names only absolute paths -----

mod hygiene {
    #![allow(dead_code, non_camel_case_types)]

    use async_ext::async_trait_ext;

    // Shadow everything generated code could name unqualified.
    mod core {}
    mod std {}
    struct Box;
    struct Pin;
    struct Option;
    trait Send {}
    trait Sync {}
    trait Future {}

    #[async_trait_ext(native)]
    pub(super) trait Shadowed {
        async fn get(&self, key: &str, (a, b): (usize, usize)) -> usize {
            key.len() + a + b
        }
        async fn boxed(self: ::std::boxed::Box<Self>) -> u32;
    }

    pub(super) struct Plain;

    impl Shadowed for Plain {
        async fn boxed(self: ::std::boxed::Box<Self>) -> u32 {
            7
        }
    }
}

#[test]
fn generated_code_survives_shadowed_names() {
    use hygiene::{DynShadowed, Plain, Shadowed};
    assert_eq!(block_on(Plain.get("ab", (1, 2))), 5);
    assert_eq!(
        block_on(DynShadowed::from_ref(&Plain).get("abc", (0, 0))),
        3
    );
    assert_eq!(block_on(DynShadowed::boxed(Plain).boxed()), 7);
}

// ----- a trait generic with a default -----

#[async_trait_ext(native)]
trait Convert<T = u32> {
    type Error;
    async fn convert(&self, input: &str) -> Result<T, Self::Error>;
}

struct Parser;

impl Convert for Parser {
    type Error = std::num::ParseIntError;

    async fn convert(&self, input: &str) -> Result<u32, Self::Error> {
        input.parse()
    }
}

#[test]
fn trait_generic_defaults_are_companion_parameters() {
    let parser: &DynConvert<'_, u32, std::num::ParseIntError> = DynConvert::from_ref(&Parser);
    assert_eq!(block_on(parser.convert("12")), Ok(12));
    assert!(block_on(parser.convert("x")).is_err());
}

// ----- where the trait lives: a fn body, a module; a renamed crate path -----

mod nested {
    use async_ext::async_trait_ext;

    #[async_trait_ext(native, crate = ::async_ext)]
    pub(crate) trait Named {
        async fn name(&self) -> String;
    }

    pub(crate) struct Anna;

    impl Named for Anna {
        async fn name(&self) -> String {
            "Anna".to_owned()
        }
    }
}

#[test]
fn traits_in_modules_and_fn_bodies() {
    use nested::{Anna, DynNamed, Named};

    #[async_trait_ext(native)]
    trait Local {
        async fn value(&self) -> u8;
    }
    struct Seven;
    impl Local for Seven {
        async fn value(&self) -> u8 {
            7
        }
    }

    assert_eq!(block_on(DynNamed::from_ref(&Anna).name()), "Anna");
    assert_eq!(block_on(Anna.name()), "Anna");
    assert_eq!(block_on(DynLocal::boxed(Seven).value()), 7);
}

// ----- async-trait's regression cases, in native mode -----
//
// The cases ported in `traits.rs` (one `mod issue_NNN` each), written as a native trait with
// plain `async fn` impls, called statically and, where the companion can carry the method,
// through it. Values are asserted.

mod native_issue_1_57_134 {
    //! Generic methods (type and const parameters) stay out of the companion with
    //! `where Self: Sized`; the rest of the trait goes through it.
    use super::*;

    #[async_trait_ext(native)]
    trait Issue1 {
        async fn f<U>(&self) -> usize
        where
            Self: Sized;
        async fn consts<T: Send, const C: usize>(&self, values: [T; C]) -> usize
        where
            Self: Sized,
        {
            values.len() + C
        }
        async fn len(&self) -> usize;
    }

    impl<T: Sync> Issue1 for Vec<T> {
        async fn f<U>(&self) -> usize {
            self.len() * 10 + std::mem::size_of::<U>()
        }
        async fn len(&self) -> usize {
            Vec::len(self)
        }
    }

    #[test]
    fn generic_methods_static_and_the_rest_through_the_companion() {
        assert_eq!(block_on(vec![1u8, 2].f::<u32>()), 24);
        assert_eq!(block_on(vec![1u8].consts([0u8; 3])), 6);
        let object = DynIssue1::boxed(vec![1u8, 2, 3]);
        assert_eq!(block_on(object.len()), 3);
    }
}

mod native_issue_2 {
    //! A `Future` supertrait (no companion) with a default body awaiting `self`.
    use super::*;

    #[async_trait_ext(native, dyn = none)]
    trait Issue2: Future {
        async fn flatten(self) -> <Self::Output as Future>::Output
        where
            Self::Output: Future + Send,
            Self: Sized + Send,
        {
            let nested_future = self.await;
            nested_future.await
        }
    }

    impl<F: Future + Send> Issue2 for F {}

    #[test]
    fn default_body_awaits_self() {
        let nested = std::future::ready(std::future::ready(5u8));
        assert_eq!(block_on(nested.flatten()), 5);
    }
}

mod native_issue_11_161_210 {
    //! `self: Arc<Self>` in a default body and in `futures::select!`, through the companion.
    use super::*;
    use futures::future::FutureExt;

    #[async_trait_ext(native)]
    trait Issue11 {
        async fn example(self: Arc<Self>) -> bool;
        async fn count(self: Arc<Self>) -> usize {
            Arc::strong_count(&self)
        }
    }

    struct MyStruct(bool);

    impl Issue11 for MyStruct {
        #[allow(clippy::mut_mut)]
        async fn example(self: Arc<Self>) -> bool {
            futures::select! {
                value = async { self.0 }.fuse() => value,
            }
        }
    }

    #[test]
    fn arc_self() {
        let value = Arc::new(MyStruct(true));
        assert!(block_on(Arc::clone(&value).example()));
        let object: Arc<DynIssue11<'static>> = value;
        let other = Arc::clone(&object);
        assert_eq!(block_on(object.count()), 2);
        assert!(block_on(other.example()));
    }
}

mod native_issue_28_31 {
    //! Trait lifetimes in arguments and return types, and a default body calling another
    //! method (associated functions: no companion).
    use super::*;

    struct Str<'a>(&'a str);

    #[async_trait_ext(native, dyn = none)]
    trait Trait1<'a> {
        async fn f(x: Str<'a>) -> &'a str;
        async fn g(x: Str<'a>) -> &'a str {
            x.0
        }
        // Rust before 1.92 cannot prove this future `Send` (see build.rs).
        #[cfg(async_send_hr_assumptions)]
        async fn twice(one: Str<'a>, two: Str<'a>) -> String {
            let first = Self::f(one).await;
            let second = Self::f(two).await;
            format!("{first}{second}")
        }
    }

    impl<'a> Trait1<'a> for str {
        async fn f(x: Str<'a>) -> &'a str {
            &x.0[1..]
        }
    }

    #[async_trait_ext(native, dyn = none)]
    trait Trait3<'a, 'b> {
        async fn f(x: &'a &'b u8) -> u8 {
            **x
        }
    }

    impl Trait3<'_, '_> for () {}

    #[test]
    fn trait_lifetimes() {
        let owned = String::from("xyz");
        let out: &str = block_on(<str as Trait1>::f(Str(&owned)));
        assert_eq!(out, "yz");
        assert_eq!(block_on(<str as Trait1>::g(Str(&owned))), "xyz");
        #[cfg(async_send_hr_assumptions)]
        assert_eq!(block_on(<str as Trait1>::twice(Str("ab"), Str("cd"))), "bd");
        assert_eq!(block_on(<() as Trait3>::f(&&7)), 7);
    }
}

mod native_issue_53_81 {
    //! `Self` constructors and `Self::Variant` patterns in plain `async fn` impls.
    use super::*;

    #[async_trait_ext(native)]
    trait Trait {
        async fn handle(&self) -> u8;
    }

    enum Tuple {
        V(u8),
    }

    enum Struct {
        V { x: u8 },
    }

    impl Trait for Tuple {
        async fn handle(&self) -> u8 {
            let Self::V(x) = self;
            let Self::V(y) = Self::V(*x + 1);
            y
        }
    }

    impl Trait for Struct {
        async fn handle(&self) -> u8 {
            let Self::V { x } = self;
            let Self::V { x: y } = Self::V { x: *x * 2 };
            y
        }
    }

    #[test]
    fn self_variants() {
        assert_eq!(block_on(Tuple::V(86).handle()), 87);
        assert_eq!(
            block_on(DynTrait::from_ref(&Struct::V { x: 4 }).handle()),
            8
        );
    }
}

mod native_issue_68_92_158 {
    //! Default bodies with a `macro_rules!` naming `self` and `Self`, `Self::CONST` through a
    //! macro, and `self::f()` (a module path, not the receiver).
    use super::*;

    macro_rules! mac {
        ($($tt:tt)*) => {
            $($tt)*
        };
    }

    fn f() -> u8 {
        158
    }

    #[async_trait_ext(native, dyn = none)]
    trait Example {
        const ASSOCIATED: u8;
        fn id(&self) -> u8;
        async fn method(&self) -> u8 {
            macro_rules! t {
                () => {{
                    let this: &Self = self;
                    this.id()
                }};
            }
            t!() + mac!(Self::ASSOCIATED + <Self as Example>::ASSOCIATED)
        }
        #[allow(unused_qualifications)]
        async fn module_path(&self) -> u8 {
            self::f()
        }
    }

    impl Example for u8 {
        const ASSOCIATED: u8 = 1;
        fn id(&self) -> u8 {
            *self
        }
    }

    #[test]
    fn self_in_macros_and_module_paths() {
        assert_eq!(block_on(66u8.method()), 68);
        assert_eq!(block_on(0u8.module_path()), 158);
    }
}

mod native_issue_85_104 {
    //! Attributes kept under a module-level `deny`, and impls produced by `macro_rules!`.
    #![deny(non_snake_case)]
    use super::*;

    #[async_trait_ext(native)]
    trait T1 {
        #[allow(non_snake_case)]
        async fn camelCase(&self) -> i32;
    }

    macro_rules! impl_t1 {
        ($ty:ty, $id:expr) => {
            impl T1 for $ty {
                #[allow(non_snake_case)]
                async fn camelCase(&self) -> i32 {
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
        assert_eq!(block_on(Foo.camelCase()), 1);
        let objects = [DynT1::boxed(Foo), DynT1::boxed(Bar)];
        let values: Vec<i32> = objects.iter().map(|o| block_on(o.camelCase())).collect();
        assert_eq!(values, [1, 42]);
    }
}

mod native_issue_106 {
    //! A generic method whose bounds name an associated type, in a forwarding impl for `&P`
    //! with `P: ?Sized`; generic, so out of the companion.
    use super::*;

    #[async_trait_ext(native)]
    trait ProcessPool: Send + Sync {
        type ThreadPool;

        async fn spawn<F, Fut, T>(&self, work: F) -> T
        where
            F: FnOnce(&Self::ThreadPool) -> Fut + Send,
            Fut: Future<Output = T> + Send + 'static,
            Self: Sized;
        fn size(&self) -> usize;
    }

    struct Pool(u32);

    impl ProcessPool for Pool {
        type ThreadPool = u32;

        async fn spawn<F, Fut, T>(&self, work: F) -> T
        where
            F: FnOnce(&Self::ThreadPool) -> Fut + Send,
            Fut: Future<Output = T> + Send + 'static,
        {
            work(&self.0).await
        }
        fn size(&self) -> usize {
            1
        }
    }

    impl<P: ProcessPool> ProcessPool for &P {
        type ThreadPool = P::ThreadPool;

        async fn spawn<F, Fut, T>(&self, work: F) -> T
        where
            F: FnOnce(&Self::ThreadPool) -> Fut + Send,
            Fut: Future<Output = T> + Send + 'static,
        {
            (**self).spawn(work).await
        }
        fn size(&self) -> usize {
            (**self).size() + 1
        }
    }

    #[test]
    fn forwarding_impl_for_a_reference() {
        let pool = Pool(106);
        let by_ref = &pool;
        let out = block_on(by_ref.spawn(|n: &u32| std::future::ready(*n + 1)));
        assert_eq!(out, 107);
        let object: &DynProcessPool<'_, u32> = DynProcessPool::from_ref(&by_ref);
        assert_eq!(object.size(), 2);
    }
}

mod native_issue_149_177_236 {
    //! `return` of a `&'static dyn Trait` from a default body, an `impl FnMut(&str)`
    //! argument, and a method returning a future, under `deny(clippy::async_yields_async)`.
    #![deny(clippy::async_yields_async)]
    use super::*;
    use std::future::Ready;

    trait Ret {
        fn n(&self) -> u8;
    }
    struct Thing;
    impl Ret for Thing {
        fn n(&self) -> u8 {
            149
        }
    }

    #[async_trait_ext(native)]
    trait Trait {
        #[allow(clippy::needless_return)] // the `return` is the case
        async fn fail(&self) -> &'static dyn Ret {
            return &Thing;
        }
        async fn foo(&self, mut callback: impl FnMut(&str) + Send)
        where
            Self: Sized,
        {
            callback("default");
        }
        async fn ready(&self) -> Ready<u8> {
            std::future::ready(236)
        }
    }

    impl Trait for () {}

    #[test]
    fn bodies_of_every_shape() {
        assert_eq!(block_on(().fail()).n(), 149);
        let mut seen = Vec::new();
        block_on(().foo(|s| seen.push(s.to_owned())));
        assert_eq!(seen, ["default"]);
        let object = DynTrait::from_ref(&());
        assert_eq!(block_on(block_on(object.ready())), 236);
        assert_eq!(block_on(object.fail()).n(), 149);
    }
}

mod native_issue_199_234_drop_order {
    //! Arguments of default bodies move into the future: dropped with an unpolled future, and
    //! after the body (not at the call) when a pattern ignores part of them; `?Send` trait.
    use super::*;

    struct Droppable<'a>(&'a Log);

    impl Drop for Droppable<'_> {
        fn drop(&mut self) {
            self.0.push("drop");
        }
    }

    struct Tuple<T, U>(T, U);

    #[async_trait_ext(native, ?Send)]
    trait Trait {
        async fn f(&self, Tuple(_, int): Tuple<Droppable<'_>, i32>, log: &Log) {
            log.push(format!("body {int}"));
        }
        async fn g(&self, _: Droppable<'_>, log: &Log) {
            log.push("g");
        }
    }

    impl Trait for () {}

    #[test]
    fn arguments_drop_with_the_future() {
        let log = Log::default();
        block_on(().f(Tuple(Droppable(&log), 1), &log));
        block_on(().g(Droppable(&log), &log));
        assert_eq!(log.events(), ["body 1", "drop", "g", "drop"]);
        let log = Log::default();
        let future = ().f(Tuple(Droppable(&log), 3), &log);
        assert!(log.events().is_empty());
        drop(future);
        let object = DynTrait::from_ref(&());
        let future = object.g(Droppable(&log), &log);
        assert_eq!(log.events(), ["drop"]);
        drop(future);
        assert_eq!(log.events(), ["drop", "drop"]);
    }
}

mod native_issue_226_232 {
    //! `#[cfg]` on impl arguments and patterns against a reference to a trait parameter.
    #![allow(clippy::non_minimal_cfg)] // `any()`/`all()`: always off/on, as in async-trait's test
    use super::*;

    #[async_trait_ext(native)]
    trait Generic<T> {
        async fn take_ref(&self, thing: &T) -> usize;
        async fn cfg_param(&self, param: u8) -> u8;
    }

    struct Two;

    impl<T: Sync + Copy + Into<usize>> Generic<(T, T)> for Two {
        async fn take_ref(&self, (a, b): &(T, T)) -> usize {
            (*a).into() + (*b).into()
        }
        async fn cfg_param(&self, #[cfg(any())] param: u8, #[cfg(all())] unused: u8) -> u8 {
            unused
        }
    }

    #[test]
    fn reference_patterns_and_cfg() {
        assert_eq!(block_on(Two.take_ref(&(2u8, 30u8))), 32);
        let object: &DynGeneric<'_, (u8, u8)> = DynGeneric::from_ref(&Two);
        assert_eq!(block_on(object.take_ref(&(1, 2))), 3);
        assert_eq!(block_on(object.cfg_param(9)), 9);
    }
}

mod native_user_patterns {
    //! Raw identifiers, labeled breaks, closures and nested async blocks over `self` in a
    //! default body, doc comments, and `Self::CONST` via an inherent const.
    use super::*;

    #[async_trait_ext(native)]
    trait Raw {
        /// The words.
        fn words(&self) -> &[String];
        /// A method named with a keyword, with a keyword-named argument.
        async fn r#fn(&self, r#type: usize) -> usize {
            let count = |this: &Self| this.words().len();
            let mut seen = 0;
            'outer: for word in self.words() {
                for _ in word.chars() {
                    if seen == r#type {
                        break 'outer;
                    }
                    seen += 1;
                }
            }
            let nested = async { self.words().iter().map(String::len).sum::<usize>() }.await;
            seen * 100 + nested * 10 + count(self)
        }
    }

    struct Words(Vec<String>);

    impl Raw for Words {
        fn words(&self) -> &[String] {
            &self.0
        }
    }

    #[test]
    fn raw_identifiers_and_self_in_nested_scopes() {
        let words = Words(vec!["ab".into(), "c".into()]);
        assert_eq!(block_on(words.r#fn(2)), 232);
        assert_eq!(block_on(DynRaw::from_ref(&words).r#fn(9)), 332);
    }
}

mod native_companion_generics_lifetimes {
    //! A companion call with trait generics, an associated type and lifetimes in the
    //! arguments and in the output; the companion passed to `fn f<S: Index<..> + ?Sized>`.
    use super::*;

    #[async_trait_ext(native)]
    trait Index<'k, K: Sync + ?Sized> {
        // `'static`: `&'s Self::Value` in the output needs `Self::Value: 's`, as in a native
        // `async fn` in a trait (E0309 otherwise).
        type Value: Send + Sync + 'static;
        async fn lookup<'s>(&'s self, key: &'k K, prefix: &str)
        -> Option<(&'s Self::Value, usize)>;
    }

    struct Table(Vec<(String, u32)>);

    impl<'k> Index<'k, str> for Table {
        type Value = u32;
        async fn lookup<'s>(&'s self, key: &'k str, prefix: &str) -> Option<(&'s u32, usize)> {
            yield_now().await;
            self.0
                .iter()
                .find(|(k, _)| k.starts_with(prefix) && k.ends_with(key))
                .map(|(_, v)| (v, prefix.len()))
        }
    }

    async fn generic<'k, S: Index<'k, str> + ?Sized>(index: &S, key: &'k str) -> usize {
        index.lookup(key, "a").await.map_or(0, |(_, n)| n)
    }

    #[test]
    fn companion_with_generics_associated_types_and_lifetimes() {
        let table = Table(vec![("ab".into(), 1), ("cd".into(), 2)]);
        let key = String::from("d");
        let object: &DynIndex<'_, '_, str, u32> = DynIndex::from_ref(&table);
        assert_eq!(block_on(object.lookup(&key, "c")), Some((&2, 1)));
        assert_eq!(block_on(generic(object, "b")), 1);
        assert_eq!(block_on(generic(&table, "b")), 1);
        let (found, allocations) = count_allocations(|| run(object.lookup(&key, "")));
        assert_eq!((found, allocations), (Some((&2, 0)), 0));
    }
}

mod companion_future_moves {
    //! A companion call's future (inline storage) moved around before its first poll, then
    //! pinned and polled across a suspension: the implementor's future borrows from itself
    //! (a slice into its own array) once polled, so a wrong move would read freed or stale
    //! bytes (Miri and AddressSanitizer run this file).
    use super::*;

    #[async_trait_ext(native)]
    trait Summer {
        async fn sum(&self, extra: u32) -> u32;
    }

    struct Data;

    impl Summer for Data {
        async fn sum(&self, extra: u32) -> u32 {
            let values = [1u32, 2, 3, extra];
            let view = &values[1..];
            yield_now().await;
            view.iter().sum()
        }
    }

    #[test]
    fn moved_before_the_first_poll_then_pinned() {
        let object = DynSummer::from_ref(&Data);
        let (sum, allocations) = count_allocations(|| {
            let first = object.sum(10);
            let second = object.sum(20);
            // Moved by value through an array and out again, in reverse order.
            let [a, b] = [first, second];
            let mut b = pin!(b);
            let mut a = pin!(a);
            assert!(poll_once(b.as_mut()).is_pending());
            assert!(poll_once(a.as_mut()).is_pending());
            (run(a), run(b))
        });
        assert_eq!((sum, allocations), ((15, 25), 0));
    }
}

mod native_forwarding_impls {
    //! The companion implements the trait for `Box<DynStore>`, `&DynStore`, `&mut DynStore` and
    //! `Arc<DynStore>`, so each is a `Store` by value, for generic code that takes `S: Store`
    //! (sized).
    use super::*;

    #[async_trait_ext(native)]
    trait Store {
        async fn get(&self, key: &str) -> usize;
    }

    struct Memory(usize);

    impl Store for Memory {
        async fn get(&self, key: &str) -> usize {
            yield_now().await;
            self.0 + key.len()
        }
    }

    async fn sized<S: Store>(store: S) -> usize {
        store.get("ab").await
    }

    #[test]
    fn boxed_companion_is_a_sized_store() {
        let boxed: Box<DynStore<'static>> = DynStore::boxed(Memory(1));
        assert_eq!(block_on(sized(&*boxed)), 3);
        let shared: Arc<DynStore<'static>> = Arc::new(Memory(5));
        assert_eq!(block_on(sized(Arc::clone(&shared))), 7);
        assert_eq!(block_on(sized(boxed)), 3);
        // A companion of a box of a companion forwards twice.
        let nested = DynStore::boxed(DynStore::boxed(Memory(2)));
        assert_eq!(block_on(nested.get("")), 2);
    }
}

mod companion_send_arguments {
    //! Arguments naming the trait's parameters in every shape the companion's `Send` bounds
    //! must name: `&T`, `'_` in a path, a closure type with its own elided lifetime, a
    //! lifetime of the trait, an associated type.
    use super::*;

    struct Wrapper<'w, T>(&'w T);

    #[async_trait_ext(native)]
    trait Visit<'t, T: 't> {
        type Extra: Send + Sync;
        async fn visit(
            &self,
            f: Box<dyn Fn(&T) -> u32 + Send + Sync>,
            item: Wrapper<'_, T>,
            long: &'t T,
            extra: &Self::Extra,
        ) -> u32;
    }

    struct Visitor;

    impl<'t> Visit<'t, u32> for Visitor {
        type Extra = u32;
        async fn visit(
            &self,
            f: Box<dyn Fn(&u32) -> u32 + Send + Sync>,
            item: Wrapper<'_, u32>,
            long: &'t u32,
            extra: &u32,
        ) -> u32 {
            yield_now().await;
            f(item.0) + *long + *extra
        }
    }

    #[test]
    fn every_shape_through_the_companion() {
        let object: &DynVisit<'_, '_, u32, u32> = DynVisit::from_ref(&Visitor);
        let value = 1;
        let long = 10;
        let out = block_on(object.visit(Box::new(|x| x * 100), Wrapper(&value), &long, &1000));
        assert_eq!(out, 1110);
    }
}

mod local_variant {
    //! `local = LocalName`: the trait without `Send` on its futures, implemented for every
    //! implementor of the `Send` trait (trait-variant's `make(Name: Send)`, with the names the
    //! other way round: the trait written is the `Send` one).
    use super::*;
    use std::fmt::Display;
    use std::rc::Rc;

    #[async_trait_ext(native, local = LocalStore)]
    pub(crate) trait Store {
        type Key;
        async fn get(&self, key: Self::Key) -> Option<u32>;
        async fn put(&mut self, key: Self::Key, value: u32);
        fn keys(&self) -> impl Iterator<Item = Self::Key>;
        fn boxed(self: Box<Self>) -> usize;
    }

    struct Memory(Vec<(u8, u32)>);

    impl Store for Memory {
        type Key = u8;
        async fn get(&self, key: u8) -> Option<u32> {
            yield_now().await;
            self.0.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
        }
        async fn put(&mut self, key: u8, value: u32) {
            self.0.push((key, value));
        }
        fn keys(&self) -> impl Iterator<Item = u8> + Send {
            self.0
                .iter()
                .map(|(k, _)| *k)
                .collect::<Vec<_>>()
                .into_iter()
        }
        fn boxed(self: Box<Self>) -> usize {
            self.0.len()
        }
    }

    /// Code that never spawns bounds on the local trait, and may hold an `Rc` across its
    /// `.await`s.
    async fn sum_local<S: LocalStore<Key = u8> + ?Sized>(store: &mut S) -> u32 {
        let counter = Rc::new(std::cell::Cell::new(0));
        store.put(9, 90).await;
        let keys: Vec<u8> = store.keys().collect();
        for key in keys {
            let value = store.get(key).await.unwrap_or(0);
            counter.set(counter.get() + value);
        }
        counter.get()
    }

    #[test]
    fn every_implementor_is_a_local_implementor() {
        let mut memory = Memory(vec![(1, 10), (2, 20)]);
        assert_eq!(block_on(sum_local(&mut memory)), 120);
        // The boxed companion is a `Store`, so a `LocalStore` too (the unsized companion
        // itself is not: as with trait-variant, the blanket impl is for sized types).
        let mut boxed: Box<DynStore<'static, u8>> = DynStore::boxed(Memory(vec![(3, 1)]));
        assert_eq!(block_on(sum_local(&mut boxed)), 91);
        assert_eq!(block_on(sum_local(&mut boxed)), 181);
        assert_eq!(LocalStore::boxed(Box::new(Memory(vec![(1, 1)]))), 1);
    }

    // trait-variant's own example, ported: consts, generic associated types, generic
    // methods and `impl Trait` arguments need `dyn = none` (no companion can carry them).
    #[async_trait_ext(native, local = LocalIntFactory, dyn = none)]
    pub(crate) trait IntFactory {
        const NAME: &'static str;
        type MyFut<'a>: Future
        where
            Self: 'a;
        async fn make(&self, x: u32, y: &str) -> i32;
        fn stream(&self) -> impl Iterator<Item = i32>;
        fn call(&self) -> u32;
        fn another_async(&self, input: Result<(), &str>) -> Self::MyFut<'_>;
    }

    #[async_trait_ext(native, local = LocalGenericTrait, dyn = none)]
    pub(crate) trait GenericTrait<'x, S: Sync, Y, const X: usize>
    where
        Y: Sync,
    {
        const CONST: usize = 3;
        type F;
        type A<const ANOTHER_CONST: u8>;
        type B<T: Display>: FromIterator<T>;
        async fn take(&self, s: S);
        fn build<T: Display>(&self, items: impl Iterator<Item = T>) -> Self::B<T>;
        fn sized<const N: usize>(&self) -> [u8; N];
    }

    struct Factory(u32);

    impl IntFactory for Factory {
        const NAME: &'static str = "factory";
        type MyFut<'a> = std::future::Ready<usize>;
        async fn make(&self, x: u32, y: &str) -> i32 {
            yield_now().await;
            i32::try_from(x + self.0).unwrap() + i32::try_from(y.len()).unwrap()
        }
        fn stream(&self) -> impl Iterator<Item = i32> + Send {
            0..3
        }
        fn call(&self) -> u32 {
            self.0
        }
        fn another_async(&self, input: Result<(), &str>) -> Self::MyFut<'_> {
            std::future::ready(input.map_or_else(str::len, |()| 0))
        }
    }

    impl GenericTrait<'static, u8, u16, 4> for Factory {
        type F = ();
        type A<const ANOTHER_CONST: u8> = [u8; 2];
        type B<T: Display> = Vec<T>;
        async fn take(&self, s: u8) {
            assert_eq!(s, 8);
        }
        fn build<T: Display>(&self, items: impl Iterator<Item = T>) -> Vec<T> {
            items.collect()
        }
        fn sized<const N: usize>(&self) -> [u8; N] {
            [7; N]
        }
    }

    // trait-variant's `IntFactory: Send` also makes `Send` a supertrait; here the bound says it.
    fn spawn_task(factory: impl IntFactory + Send + 'static) -> std::thread::JoinHandle<i32> {
        std::thread::spawn(move || block_on(factory.make(1, "foo")))
    }

    async fn local_use<F: LocalIntFactory + ?Sized>(
        factory: &F,
    ) -> (i32, Vec<i32>, u32, &'static str) {
        let made = factory.make(2, "ab").await;
        let stream = factory.stream().collect();
        (made, stream, factory.call(), F::NAME)
    }

    fn local_generic<G: LocalGenericTrait<'static, u8, u16, 4>>(generic: &G) -> (usize, [u8; 2]) {
        block_on(generic.take(8));
        (G::CONST, generic.sized::<2>())
    }

    #[test]
    fn trait_variant_example_ports_with_local() {
        assert_eq!(spawn_task(Factory(10)).join().unwrap(), 14);
        assert_eq!(
            block_on(local_use(&Factory(1))),
            (5, vec![0, 1, 2], 1, "factory")
        );
        let pending = LocalIntFactory::another_async(&Factory(6), Err("four"));
        assert_eq!(block_on(pending), 4);
        assert_eq!(local_generic(&Factory(0)), (3, [7, 7]));
        let built = LocalGenericTrait::build(&Factory(0), [1, 2].into_iter());
        assert_eq!(built, [1, 2]);
    }
}

/// The fixes the "default body needs `Self: Sync`" error names, each compiling and running:
/// bound the caller by `Sync`, give the trait a `Sync` supertrait, or mark the method `?Send`
/// (then a type that is not `Sync` calls the default body). A `where Self: Sync` the user
/// writes on the method is kept beside the macro's own bound.
mod default_body_sync_fixes {
    use super::*;
    use std::cell::Cell;

    #[async_trait_ext(native)]
    trait Counter {
        async fn step(&self) -> u32;
        async fn twice(&self) -> u32 {
            let first = self.step().await;
            first + self.step().await
        }
        async fn written(&self) -> u32
        where
            Self: Sync,
        {
            self.step().await * 10
        }
        #[async_trait_ext(?Send)]
        async fn local_twice(&self) -> u32 {
            let first = self.step().await;
            first + self.step().await
        }
    }

    /// A counter that is `Send` and `Sync`.
    struct Steps(std::sync::atomic::AtomicU32);

    impl Counter for Steps {
        async fn step(&self) -> u32 {
            yield_now().await;
            self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1
        }
    }

    /// A counter that is `Send` but not `Sync`.
    struct CellSteps(Cell<u32>);

    impl Counter for CellSteps {
        #[allow(clippy::manual_async_fn)]
        fn step(&self) -> impl Future<Output = u32> + Send {
            self.0.set(self.0.get() + 1);
            let value = self.0.get();
            async move { value }
        }
    }

    async fn bounded_caller<C: Counter + Sync>(counter: &C) -> (u32, u32) {
        (counter.twice().await, counter.written().await)
    }

    #[test]
    fn a_sync_bound_on_the_caller() {
        let steps = Steps(std::sync::atomic::AtomicU32::new(0));
        // 1 + 2, then 3 * 10.
        assert_eq!(block_on(bounded_caller(&steps)), (3, 30));
        let spawned = std::thread::spawn(move || block_on(Counter::twice(&steps)));
        assert_eq!(spawned.join().unwrap(), 4 + 5);
    }

    #[test]
    fn a_relaxed_method_serves_a_type_that_is_not_sync() {
        let steps = CellSteps(Cell::new(0));
        assert_eq!(block_on(steps.local_twice()), 1 + 2);
        assert_eq!(steps.0.get(), 2);
    }

    #[async_trait_ext(native)]
    trait SyncCounter: Sync {
        async fn step(&self) -> u32;
        async fn twice(&self) -> u32 {
            self.step().await + self.step().await
        }
    }

    impl SyncCounter for Steps {
        async fn step(&self) -> u32 {
            Counter::step(self).await
        }
    }

    /// No `Sync` on the caller: the supertrait carries it.
    async fn unbounded_caller<C: SyncCounter>(counter: &C) -> u32 {
        counter.twice().await
    }

    #[test]
    fn a_sync_supertrait() {
        let steps = Steps(std::sync::atomic::AtomicU32::new(10));
        assert_eq!(block_on(unbounded_caller(&steps)), 11 + 12);
        let object = DynSyncCounter::boxed(steps);
        assert_eq!(block_on(unbounded_caller(&object)), 13 + 14);
    }
}
