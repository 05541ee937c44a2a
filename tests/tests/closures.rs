//! Behaviour of `async_closure!` and the `AsyncFn*` traits.

use async_ext::{AsyncFn, AsyncFnMut, AsyncFnOnce, async_closure};
use async_ext_tests::yield_now;
use futures::executor::block_on;

#[test]
fn smoke() {
    let prefix = String::from("item-");
    let mut next = async_closure!({ let mut n = 0u32; let prefix = prefix.clone(); }
        async |step: u32| -> String {
            n += step;
            yield_now().await;
            format!("{prefix}{n}")
        });
    assert_eq!(block_on(next.call_mut((2,))), "item-2");
    assert_eq!(block_on(next.call_mut((3,))), "item-5");
    assert_eq!(block_on(next.call_once((1,))), "item-6");
    let greet = async_closure!({ let hello = String::from("hello"); } async |name: &str| format!("{hello} {name}"));
    assert_eq!(block_on(greet.call(("bob",))), "hello bob");
}
