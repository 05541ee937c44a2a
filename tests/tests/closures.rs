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

    // A call through `dyn` keeps its small future inline: no allocation either.
    let mut boxed: Box<dyn DynAsyncFnMut<(u64,), u64> + Send> = Box::new(mutable_again());
    let (output, dyn_calls) = count_allocations(|| block_on(boxed.call_mut((1,))));
    assert_eq!(output, 1);
    assert_eq!(dyn_calls, 0, "a small future through dyn is stored inline");
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
fn a_label_named_like_a_capture_inside_a_macro_is_left_alone() {
    // `vec![x; n]` arguments are rewritten token by token; the label `'a` must not become
    // `'* a` because a capture is named `a` (found by the never-panic campaign).
    let repeat = async_closure!({ let a = 2u32; } async |x: u32| -> Vec<u32> {
        vec!['a: {
            if x > 0 {
                break 'a a + x;
            }
            a
        }; 2]
    });
    assert_eq!(block_on(repeat.call((1,))), [3, 3]);
    assert_eq!(block_on(repeat.call((0,))), [2, 2]);
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

// ---------------------------------------------------------------------------------------
// Review of issue 4: the contract bullet by bullet, edge cases, panics and cancellation.
// ---------------------------------------------------------------------------------------

/// api.md §2's example, verbatim, with a `some_io()` that really suspends.
mod api_example {
    use super::{run, yield_now};
    // The example's `use` line; it imports `AsyncFn` and `AsyncFnOnce` without using them.
    #[allow(unused_imports)]
    use async_ext::{AsyncFn, AsyncFnMut, AsyncFnOnce, async_closure};

    async fn some_io() {
        yield_now().await;
    }

    #[test]
    fn api_md_example_verbatim() {
        let (output, pending) = run(async {
            let prefix = String::from("item-");
            let mut next = async_closure!({ let mut n = 0u32; let prefix = prefix.clone(); }
            async |step: u32| -> String {
                n += step;                          // captured state, mutated across calls
                some_io().await;                    // the future may hold borrows of `n`/`prefix` here
                format!("{prefix}{n}")
            });
            assert_eq!(next.call_mut((2,)).await, "item-2");
            // And the state carries over to the next call.
            next.call_mut((3,)).await
        });
        assert_eq!(output, "item-5");
        assert_eq!(pending, 2, "each call really suspended in `some_io`");
    }
}

#[test]
fn a_body_that_is_not_a_block() {
    let plus_one = async_closure!(async |x: u32| x + 1);
    let scaled = async_closure!({ let k = 3u32; } async |x: u32| x * k);
    let mut bump = async_closure!({ let mut n = 0u32; } async |x: u32| -> u32 { n += x; n });
    let owned =
        async_closure!(once { let s = String::from("owned"); } async |x: usize| s.len() + x);
    let call = async_closure!({ let v = vec![1u32, 2]; } async |i: usize| v[i]);
    assert_eq!(block_on(plus_one.call((1,))), 2);
    assert_eq!(block_on(scaled.call((2,))), 6);
    assert_eq!(block_on(bump.call_mut((2,))), 2);
    assert_eq!(block_on(owned.call_once((1,))), 6);
    assert_eq!(block_on(call.call((1,))), 2);
}

/// Generic code bounded by `AsyncFnMut` (or `AsyncFnOnce`) accepts an `AsyncFn` closure.
fn forward_to_mut<F: AsyncFn<(u32,), Output = u32>>(f: F) -> (u32, u32) {
    block_on(call_twice(f))
}

#[test]
fn async_fn_implies_async_fn_mut_and_async_fn_once() {
    let shared = async_closure!({ let k = 10u32; let unit = String::new(); } async |x: u32| -> u32 {
        yield_now().await;
        x * k + u32::try_from(unit.len()).unwrap_or(0)
    });
    assert_eq!(forward_to_mut(&shared), (10, 20));
    assert_eq!(forward_to_mut(shared), (10, 20));
    assert_eq!(forward_to_mut(double), (2, 4));
}

fn spawn_shared<F>(f: F) -> tokio::task::JoinHandle<(u32, u32)>
where
    F: AsyncFnSend<(u32,), Output = u32> + Send + Sync + 'static,
{
    tokio::spawn(async move {
        // Two calls through `&self` at once, both borrowing the closure inside the task.
        let (a, b) = tokio::join!(f.call_send((1,)), f.call_send((2,)));
        (a, b)
    })
}

fn spawn_once<F>(f: F) -> tokio::task::JoinHandle<String>
where
    F: AsyncFnOnceSend<(u32,), Output = String> + Send + 'static,
    F::CallOnceSendFuture: 'static,
{
    // The future itself is spawned: it owns the closure's state.
    tokio::spawn(f.call_once_send((7,)))
}

fn spawn_once_inside<F>(f: F) -> tokio::task::JoinHandle<String>
where
    F: AsyncFnOnceSend<(u32,), Output = String> + Send + 'static,
{
    tokio::spawn(async move { f.call_once_send((8,)).await })
}

#[test]
fn every_send_trait_is_a_bound_for_tokio_spawn() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    let outputs = runtime.block_on(async {
        let shared = async_closure!({ let k = 3u32; let name = String::from("k"); }
        async |x: u32| -> u32 {
            tokio::task::yield_now().await;
            assert_eq!(name, "k");
            x * k
        });
        let once = async_closure!(once { let mut s = String::from("once"); } async |x: u32| -> String {
            tokio::task::yield_now().await;
            s.push_str(&x.to_string());
            s
        });
        let mutable = async_closure!({ let mut s = String::from("mut"); } async |x: u32| -> String {
            tokio::task::yield_now().await;
            s.push_str(&x.to_string());
            s.clone()
        });
        let shared = spawn_shared(shared).await.unwrap();
        let fn_item = spawn_shared(double).await.unwrap();
        let once_future = spawn_once(once).await.unwrap();
        let mut_future = spawn_once(mutable).await.unwrap();
        let plain = spawn_once_inside(|x: u32| async move { format!("plain{x}") })
            .await
            .unwrap();
        let once_inside = spawn_once_inside(
            async_closure!(once { let s = String::from("in"); } async |x: u32| format!("{s}{x}")),
        )
        .await
        .unwrap();
        (shared, fn_item, once_future, mut_future, plain, once_inside)
    });
    assert_eq!(
        outputs,
        (
            (3, 6),
            (2, 4),
            "once7".to_string(),
            "mut7".to_string(),
            "plain8".to_string(),
            "in8".to_string()
        )
    );
}

fn send_future<F: Future + Send>(future: F) -> F {
    future
}

fn call_send_generic<F: AsyncFnSend<(u32,), Output = usize>>(f: &F) -> usize {
    block_on(send_future(f.call_send((1,))))
}

fn call_once_send_generic<F: AsyncFnOnceSend<(u32,), Output = usize>>(f: F) -> usize {
    block_on(send_future(f.call_once_send((1,))))
}

#[test]
fn every_send_trait_accepts_state_that_borrows_a_local_when_not_spawned() {
    let local = String::from("local");
    let borrowed: &str = &local;
    let shared = async_closure!({ let s = borrowed; } async |x: u32| -> usize {
        yield_now().await;
        s.len() + local.len() + x as usize
    });
    assert_eq!(call_send_generic(&shared), 11);
    assert_eq!(block_on(send_future(shared.call_send((2,)))), 12);
    let mut mutable = async_closure!({ let mut n = 0usize; let s = borrowed; } async |x: u32| -> usize {
        n += x as usize;
        yield_now().await;
        n + s.len()
    });
    assert_eq!(block_on(call_generic(&mut mutable)), 6);
    assert_eq!(call_once_send_generic(mutable), 7);
    let once = async_closure!(once { let s = borrowed; } async |x: u32| -> usize {
        yield_now().await;
        s.len() + x as usize
    });
    assert_eq!(call_once_send_generic(once), 6);
    // `&closure` (the closure itself is `Copy` here: its captures are `&str`s).
    let by_reference = &shared;
    assert_eq!(call_once_send_generic(by_reference), 11);
}

fn call_dyn_shared<F: AsyncFn<(&'static str,), Output = usize>>(f: &F) -> usize {
    block_on(f.call(("abc",))) + block_on(f.call(("de",)))
}

fn call_dyn_once<F: AsyncFnOnceSend<(u32,), Output = String> + Send + 'static>(f: F) -> String
where
    F::CallOnceSendFuture: 'static,
{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    runtime
        .block_on(async { tokio::spawn(f.call_once_send((4,))).await })
        .unwrap()
}

#[test]
fn boxed_dyn_closures_of_every_kind_go_where_the_static_traits_are_expected() {
    // `DynAsyncFn` of a macro-made closure, with and without `Sync`.
    let shared: Box<dyn DynAsyncFn<(&'static str,), usize> + Send + Sync> = Box::new(
        async_closure!({ let k = 10usize; } async |s: &str| -> usize {
            yield_now().await;
            s.len() * k
        }),
    );
    assert_eq!(call_dyn_shared(&shared), 50);
    let shared_send: Box<dyn DynAsyncFn<(&'static str,), usize> + Send> =
        Box::new(|s: &'static str| async move { s.len() });
    assert_eq!(call_dyn_shared(&shared_send), 5);
    let plain: Box<dyn DynAsyncFn<(&'static str,), usize>> = Box::new(shared_send);
    assert_eq!(call_dyn_shared(&plain), 5);

    // `DynAsyncFnMut` borrowing a local (not `'static`).
    let mut seen = Vec::new();
    {
        let mut record: Box<dyn DynAsyncFnMut<(u32,), String> + Send + '_> = Box::new(
            async_closure!({ let mut calls = 0u32; } async |x: u32| -> String {
                calls += 1;
                yield_now().await;
                format!("{x}/{calls}")
            }),
        );
        seen.push(call_dyn_mut(&mut record));
        seen.push(block_on(record.call_once((9,))));
    }
    assert_eq!(seen, ["1/1,2/2", "9/3"]);

    // `DynAsyncFnOnce` of each kind, spawned through `AsyncFnOnceSend`.
    let once: Box<dyn DynAsyncFnOnce<(u32,), String> + Send> = Box::new(
        async_closure!(once { let s = String::from("o"); } async |x: u32| format!("{s}{x}")),
    );
    assert_eq!(call_dyn_once(once), "o4");
    let mutable: Box<dyn DynAsyncFnOnce<(u32,), String> + Send> = Box::new(
        async_closure!({ let mut s = String::from("m"); } async |x: u32| -> String {
            s.push('!');
            format!("{s}{x}")
        }),
    );
    assert_eq!(call_dyn_once(mutable), "m!4");
    let from_mut: Box<dyn DynAsyncFnMut<(u32,), String> + Send> =
        Box::new(|x: u32| async move { format!("p{x}") });
    assert_eq!(call_dyn_once(from_mut), "p4");
}

#[test]
#[allow(clippy::many_single_char_names)] // twelve arguments, `a` to `l`
fn twelve_arguments_of_which_several_are_references() {
    let mut gather = async_closure!({ let mut calls = 0usize; }
    async |a: &str,
           b: &mut Vec<u8>,
           c: &[u8],
           d: Option<&str>,
           e: &&str,
           f: (&str, &str),
           g: &mut String,
           h: u8,
           i: &u16,
           j: Box<&str>,
           k: &'static str,
           l: &mut [u8]| -> usize {
        calls += 1;
        yield_now().await;
        b.extend_from_slice(c);
        b.push(h);
        l[0] = u8::try_from(*i).unwrap_or(u8::MAX);
        g.push_str(a);
        g.push_str(d.unwrap_or("-"));
        g.push_str(e);
        g.push_str(f.0);
        g.push_str(f.1);
        g.push_str(*j);
        g.push_str(k);
        calls
    });
    let mut bytes = Vec::new();
    let mut text = String::new();
    let mut slice = [0u8; 2];
    {
        // Arguments of a lifetime local to this block.
        let local = String::from("a");
        let e = "e";
        let n = block_on(gather.call_mut((
            &local,
            &mut bytes,
            &[1, 2],
            Some("d"),
            &e,
            ("f", "F"),
            &mut text,
            3,
            &4,
            Box::new("j"),
            "k",
            &mut slice,
        )));
        assert_eq!(n, 1);
    }
    let n = block_on(gather.call_mut((
        "x",
        &mut bytes,
        &[],
        None,
        &"y",
        ("", ""),
        &mut text,
        5,
        &300,
        Box::new(""),
        "",
        &mut slice[1..],
    )));
    assert_eq!(n, 2);
    assert_eq!(bytes, [1, 2, 3, 5]);
    assert_eq!(text, "adefFjkx-y");
    assert_eq!(slice, [4, 255]);
}

/// Generic code over a higher-ranked twelve-argument signature with references.
fn call_twelve<F>(f: &F) -> usize
where
    F: for<'a, 'b> AsyncFn<
            (
                &'a str,
                &'b str,
                &'a str,
                &'b str,
                &'a str,
                &'b str,
                &'a str,
                &'b str,
                &'a str,
                &'b str,
                &'a str,
                &'b str,
            ),
            Output = usize,
        >,
{
    let one = String::from("1");
    let two = String::from("22");
    block_on(f.call((
        &one, &two, &one, &two, &one, &two, &one, &two, &one, &two, &one, &two,
    )))
}

#[test]
#[allow(clippy::many_single_char_names)] // twelve arguments, `a` to `l`
fn twelve_higher_ranked_reference_arguments() {
    let sum = async_closure!(async |a: &str,
                                    b: &str,
                                    c: &str,
                                    d: &str,
                                    e: &str,
                                    f: &str,
                                    g: &str,
                                    h: &str,
                                    i: &str,
                                    j: &str,
                                    k: &str,
                                    l: &str|
           -> usize {
        [a, b, c, d, e, f, g, h, i, j, k, l]
            .iter()
            .map(|s| s.len())
            .sum()
    });
    assert_eq!(call_twelve(&sum), 18);
}

#[test]
fn native_async_closures_that_do_not_borrow_their_captures() {
    let offset = 5u32;
    let label = String::from("x");
    // Captures nothing: a plain `Fn`.
    assert_eq!(block_on(call_twice(async |x: u32| x * 3)), (3, 6));
    // Borrows outer locals only (captures references, copied into each future).
    let by_ref = async |x: u32| -> u32 {
        yield_now().await;
        x + offset + u32::try_from(label.len()).unwrap_or(0)
    };
    assert!(implements!(by_ref, AsyncFn<(u32,)>));
    assert!(implements!(by_ref, AsyncFnSend<(u32,)>));
    assert_eq!(block_on(call_twice(&by_ref)), (7, 8));
    assert_eq!(block_on(by_ref.call_send((0,))), 6);
    // A native closure whose future borrows its own (moved-in) state is lending: rustc
    // rejects it where these traits are expected (the UI test
    // `native_lending_closure_where_async_fn_mut_is_expected`; the guide's limits say so).
    // With a reference argument, through the blanket impls, higher-ranked.
    assert_eq!(takes_any_str(&async |s: &str| s.len()), 18);
}

#[test]
fn every_call_path_allocates_nothing() {
    let shared = async_closure!({ let k = 3u64; } async |x: u64| -> u64 {
        yield_now().await;
        x * k
    });
    let mut mutable = async_closure!({ let mut total = 0u64; } async |x: u64| -> u64 {
        total += x;
        yield_now().await;
        total
    });
    let ((), counted) = count_allocations(|| {
        assert_eq!(run(shared.call((1,))), (3, 1));
        assert_eq!(run(shared.call_send((1,))), (3, 1));
        let mut shared_mut = &shared;
        assert_eq!(run(AsyncFnMut::call_mut(&mut shared_mut, (2,))), (6, 1));
        assert_eq!(
            run(AsyncFnMutSend::call_mut_send(&mut shared_mut, (2,))),
            (6, 1)
        );
        assert_eq!(run(AsyncFnOnce::call_once(&shared, (3,))), (9, 1));
        assert_eq!(run(AsyncFnOnceSend::call_once_send(&shared, (3,))), (9, 1));
        assert_eq!(run(mutable.call_mut((1,))), (1, 1));
        assert_eq!(run(mutable.call_mut_send((1,))), (2, 1));
        assert_eq!(run(AsyncFnOnce::call_once(&mut mutable, (1,))), (3, 1));
        assert_eq!(
            run(AsyncFnOnceSend::call_once_send(&mut mutable, (1,))),
            (4, 1)
        );
    });
    assert_eq!(
        counted, 0,
        "call, call_mut and their Send and by-reference forms"
    );

    let ((), counted) = count_allocations(|| {
        let make_shared = || {
            async_closure!({ let k = 2u64; } async |x: u64| -> u64 {
                yield_now().await;
                x * k
            })
        };
        assert_eq!(run(make_shared().call_once((1,))), (2, 1));
        assert_eq!(run(make_shared().call_once_send((2,))), (4, 1));
        assert_eq!(run(mutable.call_once((1,))), (5, 1));
    });
    assert_eq!(counted, 0, "call_once of the borrowing kinds");

    let ((), counted) = count_allocations(|| {
        let make_once = || {
            async_closure!(once { let v = [1u64, 2]; } async |x: u64| -> u64 {
                yield_now().await;
                v.iter().sum::<u64>() + x
            })
        };
        assert_eq!(run(make_once().call_once((1,))), (4, 1));
        assert_eq!(run(make_once().call_once_send((2,))), (5, 1));
    });
    assert_eq!(
        counted, 0,
        "call_once and call_once_send of a `once` closure"
    );
}

#[test]
fn return_and_question_mark_inside_the_body() {
    let mut parse = async_closure!({ let mut total = 0i64; let limit = 100i64; }
    async |text: &str| -> Result<i64, String> {
        if text.is_empty() {
            return Ok(total);
        }
        let value: i64 = text.parse().map_err(|e| format!("{text}: {e}"))?;
        yield_now().await;
        if value > limit {
            return Err(format!("{value} > {limit}"));
        }
        total += value;
        Ok(total)
    });
    assert_eq!(block_on(parse.call_mut(("5",))), Ok(5));
    assert_eq!(
        block_on(parse.call_mut(("x",))),
        Err("x: invalid digit found in string".to_string())
    );
    assert_eq!(
        block_on(parse.call_mut(("500",))),
        Err("500 > 100".to_string())
    );
    assert_eq!(block_on(parse.call_mut(("",))), Ok(5));
    let once = async_closure!(once { let v = vec![1u8]; } async |fail: bool| -> Option<Vec<u8>> {
        let first = v.first().copied()?;
        if fail {
            return None;
        }
        Some(vec![first; 2])
    });
    assert_eq!(block_on(once.call_once((false,))), Some(vec![1, 1]));
}

#[test]
fn captures_inside_nested_closures_and_async_blocks() {
    let mut closure = async_closure!({ let mut n = 0u32; let words = vec!["a", "bb"]; }
    async |x: u32| -> (u32, Vec<usize>, usize) {
        let lengths: Vec<usize> = words.iter().map(|w| w.len() + n as usize).collect();
        let mut bump = |by: u32| n += by;
        bump(x);
        let inner = async {
            yield_now().await;
            n += 1;
            words.len()
        };
        let count = inner.await;
        let read = async { n * 10 }.await;
        (read, lengths, count)
    });
    assert_eq!(block_on(closure.call_mut((2,))), (30, vec![1, 2], 2));
    assert_eq!(block_on(closure.call_mut((1,))), (50, vec![4, 5], 2));
}

/// Panics, as a capture's value (the compiler cannot see that it never returns).
fn failing(drops: &Drops) -> Tracked {
    assert!(drops.get() == usize::MAX, "while making");
    tracked(drops, 0)
}

/// Counts the drops of [`Tracked`] values (`Send`, so closures holding one are too).
#[derive(Clone, Default)]
struct Drops(std::sync::Arc<std::sync::atomic::AtomicUsize>);

impl Drops {
    fn get(&self) -> usize {
        self.0.load(std::sync::atomic::Ordering::SeqCst)
    }
}

/// A capture whose drops are counted.
struct Tracked {
    drops: Drops,
    value: u32,
}

impl Drop for Tracked {
    fn drop(&mut self) {
        self.drops
            .0
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }
}

fn tracked(drops: &Drops, value: u32) -> Tracked {
    Tracked {
        drops: drops.clone(),
        value,
    }
}

#[test]
fn a_panic_in_the_body_leaves_the_state_usable() {
    use std::panic::{AssertUnwindSafe, catch_unwind};
    let drops = Drops::default();
    let mut closure = async_closure!({ let mut seen: Vec<u32> = Vec::new(); let t = tracked(&drops, 7); }
    async |x: u32| -> Vec<u32> {
        seen.push(x);
        yield_now().await;
        assert!(x != 0, "zero is refused");
        seen.push(t.value);
        seen.clone()
    });
    assert_eq!(block_on(closure.call_mut((1,))), [1, 7]);
    let panicked = catch_unwind(AssertUnwindSafe(|| block_on(closure.call_mut((0,)))));
    assert!(panicked.is_err());
    // The state holds what the panicking call did before the panic, and is still usable.
    assert_eq!(block_on(closure.call_mut((2,))), [1, 7, 0, 2, 7]);
    assert_eq!(drops.get(), 0);
    // A panic in `call_once` drops the state once, while unwinding.
    let panicked = catch_unwind(AssertUnwindSafe(|| block_on(closure.call_once((0,)))));
    assert!(panicked.is_err());
    assert_eq!(drops.get(), 1);

    let shared = async_closure!({ let t = tracked(&drops, 3); } async |x: u32| -> u32 {
        yield_now().await;
        assert!(x != 0, "zero is refused");
        t.value * x
    });
    assert!(catch_unwind(AssertUnwindSafe(|| block_on(shared.call((0,))))).is_err());
    assert_eq!(block_on(shared.call((2,))), 6);
    drop(shared);
    assert_eq!(drops.get(), 2);

    // A `once` body that panics drops its captures once, while unwinding.
    let once = async_closure!(once { let t = tracked(&drops, 1); let u = tracked(&drops, 2); }
    async |x: u32| -> u32 {
        yield_now().await;
        assert!(x != 0, "zero is refused");
        t.value + u.value
    });
    assert!(catch_unwind(AssertUnwindSafe(|| block_on(once.call_once((0,))))).is_err());
    assert_eq!(drops.get(), 4);

    // A panic in the capture block drops the captures made before it, once.
    let made = catch_unwind(AssertUnwindSafe(|| {
        let closure = async_closure!({ let t = tracked(&drops, 1); let u = failing(&drops); }
        async || t.value + u.value);
        drop(closure);
    }));
    assert!(made.is_err());
    assert_eq!(drops.get(), 5);
}

#[test]
fn a_call_dropped_mid_way_leaves_the_state_usable() {
    let drops = Drops::default();
    let mut closure = async_closure!({ let mut n = 0u32; let t = tracked(&drops, 100); }
    async |x: u32| -> u32 {
        n += x;
        yield_now().await;
        n += t.value;
        n
    });
    {
        let mut future = pin!(closure.call_mut((1,)));
        assert!(poll_once(future.as_mut()).is_pending());
        // Dropped after the first half of the body ran.
    }
    assert_eq!(block_on(closure.call_mut((2,))), 103);
    // A call never polled changes nothing.
    drop(closure.call_mut((50,)));
    assert_eq!(block_on(closure.call_mut((0,))), 203);
    assert_eq!(drops.get(), 0);
    // A `call_once` future dropped mid-way drops the state, once.
    let mut future = Box::pin(closure.call_once((1,)));
    assert!(poll_once(future.as_mut()).is_pending());
    assert_eq!(drops.get(), 0);
    drop(future);
    assert_eq!(drops.get(), 1);
}

#[test]
fn captures_are_dropped_exactly_once() {
    let drops = Drops::default();
    let make_shared = || async_closure!({ let t = tracked(&drops, 1); } async |x: u32| t.value + x);
    let make_mut = || {
        async_closure!({ let mut t = tracked(&drops, 1); } async |x: u32| -> u32 {
            t.value += x;
            t.value
        })
    };
    let make_once =
        || async_closure!(once { let t = tracked(&drops, 1); } async |x: u32| t.value + x);

    // Never called.
    drop((make_shared(), make_mut(), make_once()));
    assert_eq!(drops.get(), 3);

    // Called by reference, then dropped.
    let shared = make_shared();
    let mut mutable = make_mut();
    assert_eq!(block_on(shared.call((1,))), 2);
    assert_eq!(block_on(mutable.call_mut((1,))), 2);
    assert_eq!(drops.get(), 3);
    drop((shared, mutable));
    assert_eq!(drops.get(), 5);

    // `call_once`: the state goes with the future and is dropped when it completes.
    assert_eq!(block_on(make_shared().call_once((1,))), 2);
    assert_eq!(block_on(make_mut().call_once_send((2,))), 3);
    assert_eq!(block_on(make_once().call_once((3,))), 4);
    assert_eq!(drops.get(), 8);

    // `call_once` futures never polled.
    drop(make_shared().call_once((1,)));
    drop(make_mut().call_once((1,)));
    drop(make_once().call_once_send((1,)));
    assert_eq!(drops.get(), 11);

    // A `once` body that moves the capture out: dropped by whoever receives it.
    let give = async_closure!(once { let t = tracked(&drops, 9); } async || t);
    let given = block_on(give.call_once(()));
    assert_eq!((given.value, drops.get()), (9, 11));
    drop(given);
    assert_eq!(drops.get(), 12);

    // Through a `dyn` box.
    let boxed: Box<dyn DynAsyncFnOnce<(u32,), u32>> = Box::new(make_once());
    drop(boxed);
    let boxed: Box<dyn DynAsyncFnMut<(u32,), u32> + Send> = Box::new(make_mut());
    assert_eq!(block_on(boxed.call_once((1,))), 2);
    assert_eq!(drops.get(), 14);
}

struct Greeter {
    greeting: String,
}

impl Greeter {
    /// `self` in the capture block and in the body (borrowed, like any outer local).
    fn closures(
        &self,
    ) -> (
        impl AsyncFn<(&str,), Output = String> + '_,
        impl AsyncFnOnce<(), Output = usize> + use<>,
    ) {
        let by_ref = async_closure!(async |name: &str| -> String {
            yield_now().await;
            format!("{} {name}", self.greeting)
        });
        let owned = async_closure!(once { let this = Self { greeting: self.greeting.clone() }; } async || this.greeting.len());
        (by_ref, owned)
    }
}

/// A capture whose type names the enclosing fn's type parameter.
fn collect_defaults<T: Default + Clone + Send>(n: usize) -> impl AsyncFnMut<(T,), Output = Vec<T>> {
    async_closure!({ let mut v: Vec<T> = Vec::new(); let first: T = T::default(); let n = n; } async |x: T| -> Vec<T> {
        if v.is_empty() {
            v.push(first.clone());
        }
        v.push(x);
        v.truncate(n);
        v.clone()
    })
}

#[test]
fn self_and_generic_capture_types() {
    let greeter = Greeter {
        greeting: String::from("hello"),
    };
    let (by_ref, owned) = greeter.closures();
    assert_eq!(block_on(by_ref.call(("ferris",))), "hello ferris");
    drop(greeter.closures());
    assert_eq!(block_on(owned.call_once(())), 5);

    let mut collect = collect_defaults::<u8>(3);
    assert_eq!(block_on(collect.call_mut((4,))), [0, 4]);
    assert_eq!(block_on(collect.call_mut((5,))), [0, 4, 5]);
    assert_eq!(block_on(collect.call_mut((6,))), [0, 4, 5]);
}

/// Like the unstable `std::assert_matches::assert_matches!`, with message arguments.
macro_rules! assert_matches {
    ($value:expr, $pattern:pat $(if $guard:expr)?, $($message:tt)+) => {
        assert!(matches!($value, $pattern $(if $guard)?), $($message)+)
    };
}

#[test]
fn capture_names_inside_macro_patterns_closures_and_named_arguments() {
    #[derive(Debug, PartialEq)]
    struct Point {
        n: u32,
        m: u32,
    }
    let mut closure = async_closure!({ let mut n = 1u32; let m = 2u32; } async |x: Option<u32>| -> String {
        n += 1;
        // A pattern binding `n` inside `matches!` shadows the capture in the guard.
        let positive = matches!(x, Some(n) if n > 0);
        let big = matches!(x, Some(v) if v > n);
        // Without a guard too: `Some(n)` is a pattern, not a call with the capture (which
        // would not compile), and the message arguments of a pattern macro see the capture.
        #[allow(unused_variables)] // the pattern's `n`, as it would be in a native closure
        let some = matches!(x, Some(n));
        assert_eq!(some, x.is_some());
        assert_matches!(x, Some(v) if v + 10 > n, "{x:?} and {}", n + 1);
        assert!(matches!(Some(n), Some(2..)));
        // A closure parameter shadows the capture inside a macro too.
        let doubled: Vec<u32> = vec![1u32, 2].into_iter().map(|n| n * m).collect();
        assert_eq!(Point { n, m }, Point { n, m: 2 });
        let repeated = vec![n; 2];
        format!("{positive} {big} {doubled:?} {repeated:?} {k} {m} {n}", k = n + m, m = m)
    });
    // `k` and `m` are named arguments: the names are not captures, the values are.
    assert_eq!(
        block_on(closure.call_mut((Some(5),))),
        "true true [2, 4] [2, 2] 4 2 2"
    );
    assert_eq!(
        block_on(closure.call_mut((Some(0),))),
        "false false [2, 4] [3, 3] 5 2 3"
    );
}

#[test]
fn a_block_body_with_a_return_type_is_warning_free() {
    // `#![deny(warnings)]` above: no `unused_braces` on a one-expression block after `-> R`.
    let plus = async_closure!(async |x: u32| -> u32 { x + 1 });
    let scaled = async_closure!({ let k = 2u32; } async |x: u32| -> u32 { x * k });
    let mut bump =
        async_closure!({ let mut n = 0u32; } async || -> u32 { std::mem::replace(&mut n, 5) });
    let once = async_closure!(once { let s = String::from("s"); } async || -> String { s });
    let empty = async_closure!(async || -> () {});
    assert_eq!(block_on(plus.call((1,))), 2);
    assert_eq!(block_on(scaled.call((2,))), 4);
    assert_eq!(block_on(bump.call_mut(())), 0);
    assert_eq!(block_on(bump.call_mut(())), 5);
    assert_eq!(block_on(once.call_once(())), "s");
    block_on(empty.call(()));
}

/// The output may borrow data from outside the closure through a named lifetime.
fn first_word<'a>(text: &'a str) -> impl AsyncFn<(usize,), Output = &'a str> {
    async_closure!({ let words: Vec<&'a str> = text.split(' ').collect(); } async |i: usize| -> &'a str {
        yield_now().await;
        words.get(i).copied().unwrap_or("")
    })
}

#[test]
fn the_output_may_borrow_through_a_named_lifetime() {
    let text = String::from("hello lending world");
    let words = first_word(&text);
    assert_eq!(block_on(words.call((1,))), "lending");
    let pick = async_closure!(async |upper: bool| -> fn(&str) -> String {
        if upper {
            str::to_uppercase
        } else {
            str::to_lowercase
        }
    });
    assert_eq!(block_on(pick.call((true,)))("aB"), "AB");
    let fixed = async_closure!(async || -> &'static str { "static" });
    assert_eq!(block_on(fixed.call(())), "static");
}

/// A struct field of the closure's future type: the futures are nameable.
struct InFlight<'a, F: AsyncFnMut<(u32,)> + 'a> {
    future: std::pin::Pin<Box<F::CallRefFuture<'a>>>,
}

impl<'a, F: AsyncFnMut<(u32,)> + 'a> InFlight<'a, F> {
    fn start(f: &'a mut F, x: u32) -> Self {
        InFlight {
            future: Box::pin(f.call_mut((x,))),
        }
    }
}

fn start_once<F: AsyncFnOnceSend<(u32,)>>(f: F) -> F::CallOnceSendFuture {
    f.call_once_send((1,))
}

#[test]
fn the_future_types_are_nameable() {
    let mut counter = async_closure!({ let mut n = 0u32; } async |x: u32| -> u32 {
        n += x;
        yield_now().await;
        n
    });
    let mut in_flight = InFlight::start(&mut counter, 5);
    assert!(poll_once(in_flight.future.as_mut()).is_pending());
    assert_eq!(poll_once(in_flight.future.as_mut()), Poll::Ready(5));
    drop(in_flight);
    let future = start_once(counter);
    assert_eq!(block_on(assert_send(future)), 6);
}

async fn native_bound_shared(f: impl std::ops::AsyncFn(u32) -> u32) -> u32 {
    f(1).await + f(2).await
}

async fn native_bound_mut(mut f: impl std::ops::AsyncFnMut(u32) -> u32) -> u32 {
    f(1).await + f(2).await
}

#[test]
fn a_native_async_closure_wraps_a_macro_made_one_for_native_bounds() {
    let shared = async_closure!({ let k = 10u32; } async |x: u32| -> u32 {
        yield_now().await;
        x * k
    });
    assert_eq!(
        block_on(native_bound_shared(async |x: u32| shared.call((x,)).await)),
        30
    );
    let mut counter = async_closure!({ let mut n = 0u32; } async |x: u32| -> u32 {
        n += x;
        yield_now().await;
        n
    });
    assert_eq!(
        block_on(native_bound_mut(async |x: u32| counter
            .call_mut((x,))
            .await)),
        1 + 3
    );
    assert_eq!(block_on(counter.call_mut((0,))), 3);
}

#[test]
fn an_async_closure_inside_another() {
    let outer = async_closure!({ let k = 2u32; } async |x: u32| -> u32 {
        let inner = async_closure!({ let base = k * 10; } async |y: u32| -> u32 { base + y + k });
        inner.call((x,)).await
    });
    assert_eq!(block_on(outer.call((1,))), 23);
}

#[test]
#[cfg(let_chains)] // Rust 1.88 (see build.rs)
fn let_chains_bind_left_to_right() {
    let mut closure = async_closure!({ let mut n = 100u32; } async |x: Option<u32>| -> u32 {
        n += 1;
        // The `n` after `&&` is the one bound by `let Some(n)`, not the capture.
        if let Some(n) = x
            && n > 1
            && let Some(m) = n.checked_mul(2)
        {
            return m;
        }
        #[allow(clippy::never_loop)] // a `while let` chain, left on its first pass
        while let Some(n) = x
            && n == 0
        {
            return n + 7;
        }
        n
    });
    assert_eq!(block_on(closure.call_mut((Some(5),))), 10);
    assert_eq!(block_on(closure.call_mut((Some(0),))), 7);
    assert_eq!(block_on(closure.call_mut((None,))), 103);
}

fn spawn_clones<F>(f: &F) -> Vec<tokio::task::JoinHandle<u32>>
where
    F: AsyncFnSend<(u32,), Output = u32> + Clone + Send + Sync + 'static,
{
    (1..=3)
        .map(|x| {
            let f = f.clone();
            tokio::spawn(async move { f.call_send((x,)).await })
        })
        .collect()
}

#[test]
fn a_closure_is_clone_when_its_captures_are() {
    struct Unique;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    let outputs = runtime.block_on(async {
        let scale = async_closure!({ let k = 10u32; let name = String::from("k"); } async |x: u32| -> u32 {
            tokio::task::yield_now().await;
            x * k + u32::try_from(name.len()).unwrap_or(0)
        });
        let mut outputs = Vec::new();
        for handle in spawn_clones(&scale) {
            outputs.push(handle.await.unwrap());
        }
        outputs
    });
    assert_eq!(outputs, [11, 21, 31]);

    // A copy has its own state.
    let mut counter = async_closure!({ let mut n = 0u32; } async |x: u32| -> u32 { n += x; n });
    assert_eq!(block_on(counter.call_mut((1,))), 1);
    let mut copy = counter;
    assert_eq!(block_on(copy.call_mut((10,))), 11);
    assert_eq!(block_on(counter.call_mut((1,))), 2);
    let once = async_closure!(once { let v = vec![1u8]; } async || v);
    assert_eq!(block_on(once.clone().call_once(())), [1]);
    assert_eq!(block_on(once.call_once(())), [1]);
    // Not `Clone` when a capture is not.
    let unique = async_closure!({ let u = Unique; } async || { let _ = &u; });
    assert!(!implements!(unique, Clone));
    assert!(implements!(scale_copy(), Copy));
}

fn scale_copy() -> impl AsyncFn<(u32,), Output = u32> + Copy {
    async_closure!({ let k = 3u32; } async |x: u32| x * k)
}

#[test]
fn an_async_closure_inside_another_shadows_like_a_native_one() {
    let mut outer = async_closure!({ let mut n = 1u32; let k = 2u32; } async |x: u32| -> u32 {
        n += x;
        // The inner closure's capture `k` and argument `n` shadow the outer ones in its body;
        // its capture values see the outer captures.
        let inner = async_closure!({ let k = k * 10 + n; let mut calls = 0u32; }
        async |n: u32| -> u32 {
            calls += 1;
            k + n + calls
        });
        let mut first = inner; // a copy: the inner closure is `Copy`
        first.call_mut((100,)).await + inner.call_once((1000,)).await
    });
    // n = 2, inner k = 22: (22 + 100 + 1) + (22 + 1000 + 1)
    assert_eq!(block_on(outer.call_mut((1,))), 123 + 1023);
    // n = 3, inner k = 23
    assert_eq!(block_on(outer.call_mut((1,))), 124 + 1024);
}

#[test]
fn a_mutable_reference_capture_mutates_an_outer_variable() {
    let mut log: Vec<u32> = Vec::new();
    let mut total = 0u32;
    {
        // Outer variables are borrowed shared; a `let mut` capture of a `&mut` mutates one
        // (api.md: `let mut` makes the closure `AsyncFnMut`).
        let mut push = async_closure!({ let mut log = &mut log; let mut total = &mut total; }
        async |x: u32| -> usize {
            log.push(x);
            yield_now().await;
            *total += x;
            log.len()
        });
        assert!(!implements!(push, AsyncFn<(u32,)>));
        assert_eq!(block_on(push.call_mut((1,))), 1);
        assert_eq!(block_on(push.call_mut((2,))), 2);
        assert_eq!(block_on(push.call_once((3,))), 3);
    }
    assert_eq!((log, total), (vec![1, 2, 3], 6));
}

/// The inline storage behind the `dyn` closures (the trait companion's, shared), attacked
/// through the closure path: exact allocation counts, the size and alignment boundaries, drops
/// counted before, during and after a panic, and futures moved or polled across threads.
///
/// Also run under Miri: `cargo +nightly miri test -p async-ext-tests --test closures inline_storage`.
mod inline_storage {
    use std::mem::size_of_val;
    use std::panic::{AssertUnwindSafe, catch_unwind};
    use std::pin::{Pin, pin};
    use std::ptr;
    use std::task::{Context, Poll};

    use async_ext::{
        AsyncFn, AsyncFnMut, AsyncFnMutSend, AsyncFnOnce, DynAsyncFn, DynAsyncFnMut,
        DynAsyncFnOnce, DynCallFuture, async_closure,
    };
    use async_ext_tests::{count_allocations, poll_once, yield_now};

    use super::{Drops, Tracked, block_on, run, tracked};

    /// A future of exactly `N` bytes (alignment 16) that answers the address it is polled at.
    #[repr(C, align(16))]
    struct Exact<const N: usize>([u8; N]);

    impl<const N: usize> std::future::Future for Exact<N> {
        type Output = usize;
        fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<usize> {
            Poll::Ready(ptr::from_ref::<Self>(&self) as usize)
        }
    }

    /// A zero-sized future: stored inline, at the storage's start.
    struct Zst;

    impl std::future::Future for Zst {
        type Output = usize;
        fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<usize> {
            Poll::Ready(ptr::from_ref::<Self>(&self) as usize)
        }
    }

    /// A small future aligned to 64 bytes, more than the storage's 16.
    #[repr(C, align(64))]
    struct OverAligned(u8);

    impl std::future::Future for OverAligned {
        type Output = usize;
        fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<usize> {
            Poll::Ready(ptr::from_ref::<Self>(&self) as usize)
        }
    }

    /// Polls a call's future once where it is pinned: whether the callee's future was polled
    /// inside the `DynCallFuture` itself (stored inline), and the address it was polled at.
    fn polled_inline(future: DynCallFuture<'_, usize>) -> (bool, usize) {
        let mut future = pin!(future);
        let start = ptr::from_ref::<DynCallFuture<'_, usize>>(&future) as usize;
        let end = start + size_of_val(&*future);
        match poll_once(future.as_mut()) {
            Poll::Ready(address) => ((start..end).contains(&address), address),
            Poll::Pending => panic!("ready at once"),
        }
    }

    /// One call through each `dyn` form of `make` (a plain closure returning a future):
    /// `(inline, allocations)` for `call_mut`, `call` and `call_once`, counted from the call to
    /// the future's drop.
    fn through_each_dyn_form<Fut>(make: fn() -> Fut) -> [(bool, usize); 3]
    where
        Fut: std::future::Future<Output = usize> + Send + 'static,
    {
        let mut by_mut: Box<dyn DynAsyncFnMut<(), usize> + Send> = Box::new(make);
        let by_ref: Box<dyn DynAsyncFn<(), usize> + Send + Sync> = Box::new(make);
        let once: Box<dyn DynAsyncFnOnce<(), usize> + Send> = Box::new(make);
        let (by_mut, mut_allocations) = count_allocations(|| polled_inline(by_mut.call_mut(())));
        let (by_ref, ref_allocations) = count_allocations(|| polled_inline(by_ref.call(())));
        // `call_once` frees the closure's box: a deallocation, not counted.
        let (once, once_allocations) = count_allocations(|| polled_inline(once.call_once(())));
        [
            (by_mut.0, mut_allocations),
            (by_ref.0, ref_allocations),
            (once.0, once_allocations),
        ]
    }

    #[test]
    fn up_to_128_bytes_is_inline_with_no_allocation_and_above_is_one_box() {
        assert_eq!(size_of_val(&Exact::<128>([0; 128])), 128);
        assert_eq!(through_each_dyn_form(|| Exact::<1>([0; 1])), [(true, 0); 3]);
        assert_eq!(
            through_each_dyn_form(|| Exact::<128>([0; 128])),
            [(true, 0); 3]
        );
        // 129 bytes round up to 144 with alignment 16: boxed, once per call.
        assert_eq!(
            through_each_dyn_form(|| Exact::<129>([0; 129])),
            [(false, 1); 3]
        );
        assert_eq!(through_each_dyn_form(|| Zst), [(true, 0); 3]);
    }

    #[test]
    fn an_over_aligned_future_is_boxed_with_its_alignment() {
        let mut boxed: Box<dyn DynAsyncFnMut<(), usize> + Send> = Box::new(|| OverAligned(1));
        for _ in 0..3 {
            let ((inline, address), allocations) =
                count_allocations(|| polled_inline(boxed.call_mut(())));
            assert_eq!((inline, allocations), (false, 1));
            assert_eq!(address % 64, 0, "polled at an address aligned for it");
        }
    }

    /// A counting closure whose future holds `N` bytes across a suspension.
    fn counter<const N: usize>() -> Box<dyn DynAsyncFnMut<(u64,), u64> + Send> {
        Box::new(
            async_closure!({ let mut total = 0u64; } async |x: u64| -> u64 {
                let buffer = [x; N];
                yield_now().await;
                total += buffer.iter().sum::<u64>();
                total
            }),
        )
    }

    #[test]
    fn macro_made_closures_through_dyn_allocate_exactly_as_promised() {
        // 8 bytes of buffer: inline. 32 × 8 bytes: boxed.
        for (mut closure, per_call) in [(counter::<1>(), 0), (counter::<32>(), 1)] {
            let (outputs, allocations) =
                count_allocations(|| [run(closure.call_mut((1,))), run(closure.call_mut((2,)))]);
            let n = if per_call == 0 { 1 } else { 32 };
            assert_eq!(outputs, [(n, 1), (3 * n, 1)]);
            assert_eq!(
                allocations,
                2 * per_call,
                "{per_call} allocation(s) per call"
            );
            let (output, allocations) = count_allocations(|| run(closure.call_once((1,))));
            assert_eq!(output, (4 * n, 1));
            assert_eq!(allocations, per_call, "call_once");
        }
    }

    /// A closure whose every call's future owns a [`Tracked`] and holds `N` `u32`s across one
    /// suspension: inline for `N = 1`, boxed for `N = 64` (256 bytes). It answers the sum.
    fn tracking<const N: usize>(drops: &Drops) -> Box<dyn DynAsyncFnMut<(u32,), u32> + Send> {
        let drops = drops.clone();
        Box::new(move |x: u32| {
            let guard = tracked(&drops, x);
            async move {
                let buffer = [x; N];
                yield_now().await;
                let guard: Tracked = guard;
                assert!(guard.value != 0, "zero is refused");
                buffer.iter().sum()
            }
        })
    }

    /// Runs `test` on the inline (`N = 1`) and the boxed (`N = 64`) form of [`tracking`],
    /// checking first that a call allocates exactly 0 and 1 times.
    fn inline_and_boxed(test: impl Fn(Box<dyn DynAsyncFnMut<(u32,), u32> + Send>, &Drops, u32)) {
        for (n, per_call) in [(1, 0), (64, 1)] {
            let drops = Drops::default();
            let make = if n == 1 {
                tracking::<1>
            } else {
                tracking::<64>
            };
            let mut probe = make(&drops);
            let ((), allocations) = count_allocations(|| drop(probe.call_mut((1,))));
            assert_eq!(allocations, per_call, "{n} u32s held across the suspension");
            drop(probe);
            let drops = Drops::default();
            test(make(&drops), &drops, n);
        }
    }

    #[test]
    fn a_future_dropped_unpolled_pending_or_finished_drops_its_state_once() {
        inline_and_boxed(|mut closure, drops, n| {
            drop(closure.call_mut((1,)));
            assert_eq!(drops.get(), 1, "dropped before its first poll");
            {
                let mut future = pin!(closure.call_mut((2,)));
                assert!(poll_once(future.as_mut()).is_pending());
                assert_eq!(drops.get(), 1);
            }
            assert_eq!(drops.get(), 2, "dropped while pending");
            assert_eq!(block_on(closure.call_mut((3,))), 3 * n);
            assert_eq!(drops.get(), 3, "run to completion");
        });
    }

    #[test]
    fn a_panic_in_poll_drops_the_state_once_and_the_closure_stays_callable() {
        inline_and_boxed(|mut closure, drops, n| {
            let mut future = Box::pin(closure.call_mut((0,)));
            assert!(poll_once(future.as_mut()).is_pending());
            let caught = catch_unwind(AssertUnwindSafe(|| poll_once(future.as_mut())));
            assert!(caught.is_err());
            // The unwinding left the body's state dropped; dropping the future adds nothing.
            assert_eq!(drops.get(), 1);
            drop(future);
            assert_eq!(drops.get(), 1);
            assert_eq!(block_on(closure.call_mut((1,))), n);
            assert_eq!(drops.get(), 2);
        });
        // The same through a macro-made closure, whose state survives the panic.
        let mut closure: Box<dyn DynAsyncFnMut<(u32,), Vec<u32>> + Send> = Box::new(
            async_closure!({ let mut seen: Vec<u32> = Vec::new(); } async |x: u32| -> Vec<u32> {
                seen.push(x);
                yield_now().await;
                assert!(x != 0, "zero is refused");
                seen.clone()
            }),
        );
        assert!(catch_unwind(AssertUnwindSafe(|| block_on(closure.call_mut((0,))))).is_err());
        assert_eq!(block_on(closure.call_mut((5,))), [0, 5]);
    }

    /// Counts its drop, then panics.
    struct PanicOnDrop(Drops);

    impl Drop for PanicOnDrop {
        fn drop(&mut self) {
            self.0.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            panic!("panic while dropping");
        }
    }

    /// A closure whose future holds a [`PanicOnDrop`] and `N` bytes across a suspension.
    fn panicking_on_drop<const N: usize>(
        drops: &Drops,
    ) -> Box<dyn DynAsyncFnMut<(), usize> + Send> {
        let drops = drops.clone();
        Box::new(move || {
            let guard = PanicOnDrop(drops.clone());
            async move {
                let _guard = guard;
                let buffer = [1u8; N];
                yield_now().await;
                buffer.len()
            }
        })
    }

    #[test]
    fn a_panic_in_the_futures_drop_drops_it_once() {
        let drops = Drops::default();
        for (expected, per_call, mut closure) in [
            (1, 0, panicking_on_drop::<1>(&drops)),
            (2, 1, panicking_on_drop::<256>(&drops)),
        ] {
            let (mut future, allocations) = count_allocations(|| Box::pin(closure.call_mut(())));
            assert_eq!(
                allocations,
                1 + per_call,
                "the test's own `Box::pin`, and the call's"
            );
            assert!(poll_once(future.as_mut()).is_pending());
            assert!(catch_unwind(AssertUnwindSafe(|| drop(future))).is_err());
            assert_eq!(drops.get(), expected);
        }
    }

    /// A closure whose future borrows its own local (`N` `u64`s) across suspensions, so it is
    /// self-referential once polled, and mutates the closure's state: inline for `N = 4`,
    /// boxed for `N = 40`.
    fn self_referential<const N: usize>() -> impl AsyncFnMutSend<(u64,), Output = u64> + Send {
        async_closure!({ let mut calls = 0u64; } async |x: u64| -> u64 {
            calls += 1;
            let data = [x; N];
            let view = &data[..4];
            let mut sum = 0;
            for value in view {
                yield_now().await;
                sum += value;
            }
            sum * 100 + calls
        })
    }

    #[test]
    fn futures_move_unpolled_to_other_threads_and_poll_there() {
        let inline: Box<dyn DynAsyncFnMut<(u64,), u64> + Send> = Box::new(self_referential::<4>());
        let boxed: Box<dyn DynAsyncFnMut<(u64,), u64> + Send> = Box::new(self_referential::<40>());
        for (per_call, mut closure) in [(0, inline), (1, boxed)] {
            let (first, allocations) = count_allocations(|| closure.call_mut((2,)));
            assert_eq!(allocations, per_call);
            // Moved around unpolled, then to a scoped thread that polls it to the end.
            let first = {
                let mut moved = vec![first];
                moved.pop().unwrap()
            };
            let output =
                std::thread::scope(|scope| scope.spawn(move || run(first)).join().unwrap());
            assert_eq!(output, (801, 4));
            // The boxed closure itself moves to another thread and is called there.
            let output = std::thread::spawn(move || {
                let second = block_on(closure.call_mut((1,)));
                (second, block_on(closure.call_once((3,))))
            })
            .join()
            .unwrap();
            assert_eq!(output, (402, 1203));
        }
        // A `call_once` future owns the closure: it can go to a thread of its own.
        let once: Box<dyn DynAsyncFnOnce<(u64,), u64> + Send> = Box::new(self_referential::<4>());
        let future = once.call_once((5,));
        assert_eq!(
            std::thread::spawn(move || block_on(future)).join().unwrap(),
            2001
        );
    }

    #[test]
    fn shared_calls_through_dyn_run_at_once_each_inline() {
        let shared: Box<dyn DynAsyncFn<(u64,), u64> + Send + Sync> =
            Box::new(async_closure!({ let base = 10u64; } async |x: u64| -> u64 {
                yield_now().await;
                base + x
            }));
        let (outputs, allocations) = count_allocations(|| {
            let mut a = pin!(shared.call((1,)));
            let mut b = pin!(AsyncFn::call(&shared, (2,)));
            assert!(poll_once(a.as_mut()).is_pending());
            assert!(poll_once(b.as_mut()).is_pending());
            (poll_once(b.as_mut()), poll_once(a.as_mut()))
        });
        assert_eq!(outputs, (Poll::Ready(12), Poll::Ready(11)));
        assert_eq!(allocations, 0);
        // From another thread, through `&` (the box is `Sync`).
        let output =
            std::thread::scope(|scope| scope.spawn(|| block_on(shared.call((5,)))).join().unwrap());
        assert_eq!(output, 15);
        assert_eq!(block_on(AsyncFnOnce::call_once(shared, (0,))), 10);
    }
}

/// `as_fn`: async closures in stream combinators.
mod combinators {
    use async_ext::{AsyncFn, AsyncFnExt, AsyncFnSend, DynAsyncFn, async_closure};
    use async_ext_tests::yield_now;
    use futures::StreamExt;

    use super::block_on;

    #[test]
    fn then_runs_the_closure_on_each_item_and_leaves_it_usable() {
        let calls = std::sync::atomic::AtomicU32::new(0);
        let scale = async_closure!({ let factor = 10u32; let calls = &calls; } async |x: u32| -> u32 {
            calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            yield_now().await;
            x * factor
        });
        let scaled: Vec<u32> = block_on(
            futures::stream::iter([1, 2, 3])
                .then(scale.as_fn())
                .collect(),
        );
        assert_eq!(scaled, [10, 20, 30]);
        // Borrowed, not consumed: the closure is called again afterwards.
        assert_eq!(block_on(scale.call((4,))), 40);
        assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 4);
    }

    #[test]
    fn buffered_calls_overlap_and_keep_their_order() {
        let log = async_ext_tests::Log::default();
        let work = async_closure!({ let log = log.clone(); } async |x: u32| -> u32 {
            log.push(format!("start {x}"));
            for _ in 0..x {
                yield_now().await;
            }
            log.push(format!("end {x}"));
            x
        });
        let outputs: Vec<u32> = block_on(
            futures::stream::iter([3, 1, 2])
                .map(work.as_fn())
                .buffered(3)
                .collect(),
        );
        assert_eq!(outputs, [3, 1, 2]);
        // All three started before any ended: the calls ran at once, each borrowing `log`.
        let events = log.events();
        assert_eq!(events[..3], ["start 3", "start 1", "start 2"]);
        assert_eq!(events.len(), 6);
    }

    #[test]
    fn plain_closures_references_and_dyn_closures_have_it_too() {
        let offset = 5u32;
        let plain = |x: u32| async move { x + offset };
        let by_reference = &plain;
        let boxed: Box<dyn DynAsyncFn<(u32,), u32> + Send + Sync> =
            Box::new(async_closure!(async |x: u32| x * 2));
        let stream = futures::stream::iter([1u32, 2]);
        let a: Vec<u32> = block_on(stream.clone().then(plain.as_fn()).collect());
        let b: Vec<u32> = block_on(stream.clone().then(by_reference.as_fn()).collect());
        let c: Vec<u32> = block_on(stream.then(boxed.as_fn()).collect());
        assert_eq!((a, b, c), (vec![6, 7], vec![6, 7], vec![2, 4]));
        let words: Vec<usize> = block_on(
            futures::stream::iter(["one", "three"])
                .then(async_closure!(async |s: &str| s.len()).as_fn())
                .collect(),
        );
        assert_eq!(words, [3, 5]);
    }

    /// Generic code that spawns a stream pipeline calling `f`.
    fn spawn_pipeline<F>(f: F) -> tokio::task::JoinHandle<Vec<u32>>
    where
        F: AsyncFnSend<(u32,), Output = u32> + Send + Sync + 'static,
    {
        tokio::spawn(async move {
            futures::stream::iter([1u32, 2, 3])
                .then(f.as_fn_send())
                .collect()
                .await
        })
    }

    #[test]
    fn as_fn_send_goes_into_a_spawned_task() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .build()
            .unwrap();
        let closure = async_closure!({ let base = 100u32; } async |x: u32| -> u32 {
            tokio::task::yield_now().await;
            base + x
        });
        let outputs = runtime
            .block_on(async { spawn_pipeline(closure).await })
            .unwrap();
        assert_eq!(outputs, [101, 102, 103]);
    }
}
