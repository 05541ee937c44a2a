//! Behaviour of `async_closure!` and the `AsyncFn*` traits: state across calls, lending
//! futures, the traits each closure implements, arities, the blanket impls, `Send` bounds,
//! `dyn` closures and allocation counts.

// Expansions must be warning-free in the user's crate.
#![deny(warnings)]

use std::cell::Cell;
use std::future::Future;
use std::pin::pin;
use std::task::Poll;

use async_ext::{
    AsyncFn, AsyncFnMut, AsyncFnMutSend, AsyncFnOnce, AsyncFnOnceSend, AsyncFnSend, DynAsyncFn,
    DynAsyncFnMut, DynAsyncFnOnce, async_closure,
};
use async_ext_tests::{CountingAllocator, count_allocations, poll_once, yield_now};

#[global_allocator]
static ALLOC: CountingAllocator = CountingAllocator;

/// Polls `future` to completion on this thread with a no-op waker (no executor, so no
/// allocation of its own), counting how many times it was pending.
fn run<F: Future>(future: F) -> (F::Output, usize) {
    let mut future = pin!(future);
    let mut pending = 0;
    loop {
        match poll_once(future.as_mut()) {
            Poll::Ready(output) => return (output, pending),
            Poll::Pending => pending += 1,
        }
    }
}

fn block_on<F: Future>(future: F) -> F::Output {
    run(future).0
}

/// Whether a value's type implements a trait, decided at compile time by method resolution:
/// the inherent method exists only when the bound holds, else the trait fallback answers.
macro_rules! implements {
    ($value:expr, $($bound:tt)+) => {{
        struct Probe<T>(::std::marker::PhantomData<T>);
        #[allow(dead_code)] // used only when the bound does not hold
        trait Fallback {
            fn check(&self) -> bool {
                false
            }
        }
        impl<T> Fallback for Probe<T> {}
        impl<T: $($bound)+> Probe<T> {
            #[allow(dead_code)]
            fn check(&self) -> bool {
                true
            }
        }
        fn probe<T>(_: &T) -> Probe<T> {
            Probe(::std::marker::PhantomData)
        }
        probe(&$value).check()
    }};
}

fn assert_shared<F: AsyncFn<(u32,), Output = u32> + AsyncFnSend<(u32,)>>(_: &F) {}
fn assert_mut<F: AsyncFnMut<(u32,), Output = u32> + AsyncFnMutSend<(u32,)>>(_: &F) {}
fn assert_once<F: AsyncFnOnce<(), Output = String> + AsyncFnOnceSend<()>>(_: &F) {}

/// Calls `f` with strings of two different lifetimes.
fn takes_any_str<F: for<'a> AsyncFn<(&'a str,), Output = usize>>(f: &F) -> usize {
    let local = String::from("local string");
    block_on(f.call((&local,))) + block_on(f.call(("static",)))
}

fn assert_send_traits<F: AsyncFnSend<(u32,), Output = u32>>(_: &F) {}

fn assert_send<T: Send>(value: T) -> T {
    value
}

#[test]
fn state_is_mutated_across_calls() {
    let mut counter = async_closure!({ let mut n = 0u32; let mut log = Vec::new(); }
    async |step: u32| -> u32 {
        n += step;
        log.push(n);
        n
    });
    assert_eq!(block_on(counter.call_mut((1,))), 1);
    assert_eq!(block_on(counter.call_mut((2,))), 3);
    assert_eq!(block_on(counter.call_mut((4,))), 7);
    // `call_once` continues from the same state.
    assert_eq!(block_on(counter.call_once((10,))), 17);
}

#[test]
fn the_future_borrows_a_captured_string_across_a_real_suspension() {
    let greet = async_closure!({ let name = String::from("ferris"); }
    async |greeting: &str| -> String {
        let borrowed: &str = &name;
        yield_now().await;
        format!("{greeting}, {borrowed} ({})", name.len())
    });
    let (output, pending) = run(greet.call(("hello",)));
    assert_eq!(output, "hello, ferris (6)");
    assert_eq!(
        pending, 1,
        "the body suspended once while holding the borrow"
    );

    // Two futures of an `AsyncFn` closure may borrow its state at the same time.
    let mut first = pin!(greet.call(("hi",)));
    let mut second = pin!(greet.call(("hey",)));
    assert!(poll_once(first.as_mut()).is_pending());
    assert!(poll_once(second.as_mut()).is_pending());
    assert_eq!(
        poll_once(second.as_mut()),
        Poll::Ready("hey, ferris (6)".to_string())
    );
    assert_eq!(
        poll_once(first.as_mut()),
        Poll::Ready("hi, ferris (6)".to_string())
    );
}

#[test]
fn a_mutable_capture_is_borrowed_by_the_future_across_a_suspension() {
    let mut push = async_closure!({ let mut items: Vec<String> = Vec::new(); }
    async |item: &str| -> usize {
        let list = &mut items;
        yield_now().await;
        list.push(item.to_owned());
        list.len()
    });
    assert_eq!(run(push.call_mut(("a",))), (1, 1));
    assert_eq!(run(push.call_mut(("b",))), (2, 1));
    let items = block_on(
        async_closure!(once { let take = push; } async || {
            // `once` may move captures out: here the whole previous closure.
            let mut take = take;
            take.call_mut(("c",)).await
        })
        .call_once(()),
    );
    assert_eq!(items, 3);
}

#[test]
fn each_closure_implements_the_traits_of_its_kind() {
    let shared = async_closure!({ let k = 2u32; } async |x: u32| x * k);
    let mutable = async_closure!({ let mut total = 0u32; } async |x: u32| { total += x; total });
    let once = async_closure!(once { let s = String::from("moved"); } async || s);
    let no_captures = async_closure!(async |x: u32| x + 1);

    assert_shared(&shared);
    assert_shared(&no_captures);
    assert_mut(&shared);
    assert_mut(&mutable);
    assert_once(&once);

    assert!(implements!(shared, AsyncFn<(u32,)>));
    assert!(implements!(no_captures, AsyncFn<(u32,)>));
    assert!(implements!(mutable, AsyncFnMut<(u32,)>));
    assert!(!implements!(mutable, AsyncFn<(u32,)>));
    assert!(implements!(once, AsyncFnOnce<()>));
    assert!(!implements!(once, AsyncFnMut<()>));
    // The wrong arguments: not implemented.
    assert!(!implements!(shared, AsyncFnOnce<(u32, u32)>));
    assert!(!implements!(shared, for<'a> AsyncFnOnce<(&'a str,)>));

    let mut mutable = mutable;
    assert_eq!(block_on(shared.call((5,))), 10);
    assert_eq!(block_on(no_captures.call((5,))), 6);
    assert_eq!(block_on(mutable.call_mut((5,))), 5);
    assert_eq!(block_on(mutable.call_mut((5,))), 10);
    assert_eq!(block_on(once.call_once(())), "moved");
}

#[test]
fn arities_zero_to_three_with_a_str_argument() {
    let zero = async_closure!({ let s = String::from("zero"); } async || s.len());
    let one = async_closure!(async |a: &str| a.len());
    let two = async_closure!({ let sep = '-'; } async |a: &str, n: usize| a.repeat(n).replace('a', &sep.to_string()));
    let three = async_closure!(async |a: &str, b: &str, c: u8| format!("{a}{b}{c}"));
    assert_eq!(block_on(zero.call(())), 4);
    assert_eq!(block_on(one.call(("four",))), 4);
    assert_eq!(block_on(two.call(("ab", 2))), "-b-b");
    assert_eq!(block_on(three.call(("x", "y", 3))), "xy3");

    // The `&str` stays higher-ranked: one closure takes strings of different lifetimes.
    assert_eq!(takes_any_str(&one), 12 + 6);
}

#[test]
fn twelve_arguments_and_a_mut_reference_argument() {
    let sum = async_closure!(async |a1: u8,
                                    a2: u8,
                                    a3: u8,
                                    a4: u8,
                                    a5: u8,
                                    a6: u8,
                                    a7: u8,
                                    a8: u8,
                                    a9: u8,
                                    a10: u8,
                                    a11: u8,
                                    a12: &u8| {
        [a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, *a12]
            .iter()
            .map(|x| u32::from(*x))
            .sum::<u32>()
    });
    assert_eq!(
        block_on(sum.call((1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, &12))),
        78
    );

    let mut append = async_closure!({ let mut calls = 0u8; } async |out: &mut Vec<u8>, byte: u8| {
        calls += 1;
        yield_now().await;
        out.push(byte + calls);
    });
    let mut buffer = Vec::new();
    block_on(append.call_mut((&mut buffer, 10)));
    block_on(append.call_mut((&mut buffer, 10)));
    assert_eq!(buffer, [11, 12]);
}

async fn double(x: u32) -> u32 {
    x * 2
}

async fn call_twice<F: AsyncFnMut<(u32,), Output = u32>>(mut f: F) -> (u32, u32) {
    let first = f.call_mut((1,)).await;
    let second = f.call_mut((2,)).await;
    (first, second)
}

#[test]
fn plain_closures_fn_items_and_native_async_closures_through_the_blanket_impls() {
    let offset = 100;
    assert_eq!(
        block_on(call_twice(|x: u32| async move { x + offset })),
        (101, 102)
    );
    assert_eq!(block_on(call_twice(double)), (2, 4));
    // A native async closure that borrows only outer locals is a plain `Fn` returning a future.
    let native = async |x: u32| x + offset;
    assert_eq!(block_on(call_twice(native)), (101, 102));
    // A plain `FnMut` keeps its state across calls.
    let mut seen = 0;
    let counting = move |x: u32| {
        seen += x;
        let now = seen;
        async move { now }
    };
    assert_eq!(block_on(call_twice(counting)), (1, 3));

    assert_send_traits(&double);
    assert_eq!(block_on(double.call_send((21,))), 42);
    assert_eq!(block_on(AsyncFnOnce::call_once(|| async { 7 }, ())), 7);
}

fn spawn_calls<F>(mut f: F) -> tokio::task::JoinHandle<Vec<u32>>
where
    F: AsyncFnMutSend<(u32,), Output = u32> + Send + 'static,
{
    tokio::spawn(async move {
        let mut outputs = Vec::new();
        for step in 1..=3 {
            outputs.push(f.call_mut_send((step,)).await);
        }
        outputs
    })
}

#[test]
fn a_generic_send_closure_is_called_inside_tokio_spawn() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    let handle = runtime.spawn(async {
        let made = async_closure!({ let mut total = 0u32; let label = String::from("sum"); }
        async |step: u32| -> u32 {
            total += step;
            tokio::task::yield_now().await;
            assert_eq!(label, "sum");
            total
        });
        let spawned = spawn_calls(made).await.unwrap();
        let from_fn = spawn_calls(double).await.unwrap();
        (spawned, from_fn)
    });
    let (spawned, from_fn) = runtime.block_on(handle).unwrap();
    assert_eq!(spawned, [1, 3, 6]);
    assert_eq!(from_fn, [2, 4, 6]);
}

#[test]
fn a_send_closure_may_borrow_a_local_when_it_is_not_spawned() {
    let outer = String::from("outer");
    let mut closure = async_closure!({ let mut n = 0usize; } async |x: usize| -> usize {
        n += x + outer.len();
        yield_now().await;
        n
    });
    let future = assert_send(closure.call_mut_send((1,)));
    assert_eq!(block_on(future), 6);
    // `outer` was borrowed, not moved.
    assert_eq!(outer, "outer");
}

fn call_dyn_mut<F: AsyncFnMut<(u32,), Output = String>>(f: &mut F) -> String {
    let a = block_on(f.call_mut((1,)));
    let b = block_on(f.call_mut((2,)));
    format!("{a},{b}")
}

#[test]
fn a_boxed_dyn_closure_is_used_where_async_fn_mut_is_expected() {
    let mut boxed: Box<dyn DynAsyncFnMut<(u32,), String> + Send> = Box::new(
        async_closure!({ let mut n = 0u32; } async |x: u32| -> String {
            n += x;
            yield_now().await;
            n.to_string()
        }),
    );
    assert_eq!(call_dyn_mut(&mut boxed), "1,3");
    // The box is `Send` and its futures are too: it can move into a spawned task.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .build()
        .unwrap();
    let from_task = runtime
        .block_on(runtime.spawn(async move { boxed.call_mut_send((10,)).await }))
        .unwrap();
    assert_eq!(from_task, "13");

    let shared: Box<dyn DynAsyncFn<(&str,), usize> + Send + Sync> =
        Box::new(async_closure!(async |s: &str| s.len()));
    assert_eq!(block_on(shared.call(("four",))), 4);
    assert_eq!(block_on(shared.call_once(("three",))), 5);

    let once: Box<dyn DynAsyncFnOnce<(), String>> =
        Box::new(async_closure!(once { let s = String::from("owned"); } async || s));
    assert_eq!(block_on(once.call_once(())), "owned");

    // Plain closures box the same way.
    let mut plain: Box<dyn DynAsyncFnMut<(u32,), String> + Send> =
        Box::new(|x: u32| async move { format!("p{x}") });
    assert_eq!(call_dyn_mut(&mut plain), "p1,p2");
}

#[test]
fn calls_allocate_nothing() {
    let shared = async_closure!({ let k = 3u64; } async |x: u64| -> u64 {
        yield_now().await;
        x * k
    });
    let mut mutable = async_closure!({ let mut total = 0u64; let k = 2u64; } async |x: u64| -> u64 {
        total += x * k;
        yield_now().await;
        total
    });
    let ((), made) = count_allocations(|| {
        let once =
            async_closure!(once { let v = [1u64, 2, 3]; } async |x: u64| v.iter().sum::<u64>() + x);
        assert_eq!(block_on(once.call_once((4,))), 10);
    });
    assert_eq!(made, 0, "making and calling a `once` closure");
    let (outputs, calls) = count_allocations(|| {
        [
            block_on(shared.call((1,))),
            block_on(shared.call_send((2,))),
            block_on(mutable.call_mut((1,))),
            block_on(mutable.call_mut_send((1,))),
            block_on(AsyncFnMut::call_mut(&mut mutable, (1,))),
        ]
    });
    assert_eq!(outputs, [3, 6, 2, 4, 6]);
    assert_eq!(calls, 0, "calls of macro-made closures");
    let (output, once_calls) = count_allocations(|| block_on(mutable.call_once((10,))));
    assert_eq!(output, 26);
    assert_eq!(once_calls, 0, "the unboxed call_once");

    // The counter works in this binary: a call through `dyn` boxes its future, once.
    let mut boxed: Box<dyn DynAsyncFnMut<(u64,), u64> + Send> = Box::new(mutable_again());
    let (output, dyn_calls) = count_allocations(|| block_on(boxed.call_mut((1,))));
    assert_eq!(output, 1);
    assert_eq!(dyn_calls, 1, "one box per call at the dyn boundary");
}

fn mutable_again() -> impl AsyncFnMutSend<(u64,), Output = u64> {
    async_closure!({ let mut total = 0u64; } async |x: u64| -> u64 {
        total += x;
        total
    })
}

#[test]
fn once_moves_a_capture_out() {
    let parts = vec![String::from("a"), String::from("b")];
    let join = async_closure!(once { let mut parts = parts; let sep = String::from("+"); }
    async |last: &str| -> (Vec<String>, String) {
        parts.push(last.to_owned());
        yield_now().await;
        let joined = parts.join(&sep);
        (parts, joined)
    });
    let (parts, joined) = block_on(join.call_once(("c",)));
    assert_eq!(parts, ["a", "b", "c"]);
    assert_eq!(joined, "a+b+c");
}

#[test]
fn captures_are_ordinary_names_inside_macros() {
    let mut describe = async_closure!({ let mut n = 1u32; let name = String::from("n"); }
    async |width: usize| -> String {
        n *= 2;
        assert!(n > 1, "{name} = {n}");
        assert_eq!(n % 2, 0);
        let listed = vec![n, n + 1];
        assert_eq!((n..n + 2).count(), 2, "a range from a capture inside a macro");
        format!("{name}={n:>width$} {} {:?} {}", n + 1, listed, name.len())
    });
    assert_eq!(block_on(describe.call_mut((3,))), "n=  2 3 [2, 3] 1");
    assert_eq!(block_on(describe.call_mut((1,))), "n=4 5 [4, 5] 1");
}

#[test]
fn captures_are_evaluated_once_when_the_closure_is_made() {
    let evaluations = Cell::new(0);
    let make = || {
        evaluations.set(evaluations.get() + 1);
        evaluations.get() * 10
    };
    let closure = async_closure!({ let base = make(); let doubled = base * 2; } async |x: i32| base + doubled + x);
    assert_eq!(evaluations.get(), 1);
    assert_eq!(block_on(closure.call((1,))), 31);
    assert_eq!(block_on(closure.call((2,))), 32);
    assert_eq!(evaluations.get(), 1);
}

#[test]
fn shadowing_and_typed_captures_behave_like_a_native_closure() {
    // The capture `s` is never used: the argument `s` shadows it, as in a native closure.
    #[allow(unused_variables)]
    let closure = async_closure!({ let n: u64 = 5; let s = String::from("capture"); }
    async |s: &str, y: u64| -> String {
        // The argument `s` shadows the capture `s`.
        let first = format!("{s}:{n}");
        let n = n + y; // a local shadows the capture from here on
        let total = match Some(n) {
            Some(n) if n > 6 => n * 10,
            Some(n) => n,
            None => 0,
        };
        let squares: Vec<u64> = (1..=2).map(|n| n * n).collect();
        format!("{first} {n} {total} {squares:?}")
    });
    assert_eq!(block_on(closure.call(("arg", 1))), "arg:5 6 6 [1, 4]");
    assert_eq!(block_on(closure.call(("arg", 2))), "arg:5 7 70 [1, 4]");
}

#[test]
fn outer_locals_are_borrowed_not_moved() {
    let outer = String::from("abc");
    let sum = async_closure!({ let extra = 13; } async || outer.len() + extra);
    assert_eq!(block_on(sum.call(())), 16);
    // Still usable, and still borrowed by `sum` (which is used again below).
    assert_eq!(outer.len(), 3);
    assert_eq!(block_on(sum.call(())), 16);
}

#[test]
fn struct_literals_and_references_to_captures() {
    #[derive(Debug, PartialEq)]
    struct Pair {
        n: u32,
        tag: &'static str,
    }
    let mut make = async_closure!({ let mut n = 0u32; let tag = "t"; } async || {
        let counter: &mut u32 = &mut n;
        *counter += 1;
        Pair { n, tag }
    });
    assert_eq!(block_on(make.call_mut(())), Pair { n: 1, tag: "t" });
    assert_eq!(block_on(make.call_mut(())), Pair { n: 2, tag: "t" });
}

/// Generated code names `::core` and the runtime by absolute paths.
mod hygiene {
    #[allow(dead_code)]
    mod core {}
    #[allow(dead_code)]
    mod async_ext {}

    #[test]
    fn expands_with_shadowing_modules_in_scope() {
        use ::async_ext::AsyncFnMut;
        let mut c = ::async_ext::async_closure!({ let mut n = 0u8; } async |x: u8| { n += x; n });
        assert_eq!(super::block_on(c.call_mut((2,))), 2);
    }
}

/// A closure made inside a generic fn, over the fn's type and lifetime parameters.
fn tagger<'a, T: std::fmt::Display + Clone + 'a>(
    tag: &'a str,
    first: T,
) -> impl AsyncFnMut<(T,), Output = String> + 'a {
    // `tag` is moved in (a `&str`): an outer variable not in the block would be borrowed.
    async_closure!({ let mut seen: Vec<T> = vec![first]; let tag = tag; } async |next: T| -> String {
        seen.push(next);
        let listed: Vec<String> = seen.iter().map(ToString::to_string).collect();
        format!("{tag}:{}", listed.join(","))
    })
}

#[test]
fn generic_parameters_and_borrowed_arguments_of_the_enclosing_fn() {
    let tag = String::from("t");
    let mut tagged = tagger(&tag, 1u8);
    assert_eq!(block_on(tagged.call_mut((2,))), "t:1,2");
    assert_eq!(block_on(tagged.call_mut((3,))), "t:1,2,3");

    let word = String::from("borrowed");
    let mut words = tagger(&tag, word.as_str());
    assert_eq!(block_on(words.call_mut(("too",))), "t:borrowed,too");
}

async fn call_generic<F: AsyncFnMutSend<(u32,), Output = usize>>(f: &mut F) -> usize {
    f.call_mut_send((1,)).await
}

/// Inside a spawned (so `Send`) task: a closure borrowing a local is called directly, and one
/// owning its captures through generic code. (Generic code calling a closure that borrows a
/// local of the task hits rustc bug #151398; the guide says so.)
#[test]
fn inside_a_spawned_task() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .build()
        .unwrap();
    let handle = runtime.spawn(async {
        let outer = String::from("abc");
        let mut borrowing = async_closure!({ let mut n = 0usize; } async |x: u32| -> usize {
            n += x as usize + outer.len();
            tokio::task::yield_now().await;
            n
        });
        let direct = borrowing.call_mut((1,)).await;
        let mut owning = async_closure!({ let mut n = 10usize; let outer = outer.clone(); }
        async |x: u32| -> usize {
            n += x as usize + outer.len();
            tokio::task::yield_now().await;
            n
        });
        (direct, call_generic(&mut owning).await)
    });
    assert_eq!(runtime.block_on(handle).unwrap(), (4, 14));
}

/// The README's example, verbatim (keep the two in sync).
mod readme {
    use async_ext::{AsyncFnMut, AsyncFnMutSend, async_closure};

    // Generic code may spawn the calls: `AsyncFnMutSend` promises `Send` futures.
    fn spawn_call<F>(mut f: F) -> tokio::task::JoinHandle<String>
    where
        F: AsyncFnMutSend<(u32,), Output = String> + Send + 'static,
    {
        tokio::spawn(async move { f.call_mut_send((3,)).await })
    }

    async fn demo() {
        let prefix = String::from("item-");
        let mut next = async_closure!({ let mut n = 0u32; let prefix = prefix.clone(); }
        async |step: u32| -> String {
            n += step;               // state owned by the closure, mutated across calls
            format!("{prefix}{n}")   // the future may borrow it across an `.await`
        });
        assert_eq!(next.call_mut((2,)).await, "item-2");
        assert_eq!(spawn_call(next).await.unwrap(), "item-5");
    }

    #[test]
    fn readme_example() {
        tokio::runtime::Builder::new_multi_thread()
            .build()
            .unwrap()
            .block_on(demo());
    }
}

fn assert_mut_send<F: AsyncFnMutSend<(u32,), Output = u32>>(_: &F) {}

fn call_send_with_two<F: AsyncFnSend<(u32,), Output = u32>>(f: &F) -> u32 {
    block_on(f.call_send((2,)))
}

#[test]
fn references_to_closures_are_closures() {
    let mut counter = async_closure!({ let mut n = 0u32; } async |x: u32| -> u32 {
        n += x;
        n
    });
    // `&mut closure` is an `AsyncFnMut` (and `AsyncFnMutSend`); the caller keeps the closure.
    assert_eq!(block_on(call_twice(&mut counter)), (1, 3));
    assert_eq!(block_on(counter.call_mut((10,))), 13);
    assert_mut_send(&&mut counter);

    let shared = async_closure!({ let k = 5u32; } async |x: u32| x * k);
    // `&closure` is an `AsyncFn`, `&mut closure` an `AsyncFnMut`.
    assert_eq!(block_on(call_twice(&shared)), (5, 10));
    let mut shared = shared;
    assert_eq!(block_on(call_twice(&mut shared)), (5, 10));
    assert_eq!(call_send_with_two(&&shared), 10);
}
