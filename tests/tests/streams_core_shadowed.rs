//! A crate that shadows `core` at its root (`extern crate other as core;`, which a
//! futures-async-stream test does on purpose) can still use every generator: generated code
//! names `core` through `async_ext::__private`, never as `::core`.

extern crate futures as core;

use async_ext::{async_stream, async_try_stream, for_await, stream, try_stream};
use futures::StreamExt;
use futures::executor::block_on;

#[async_stream(item = u8)]
async fn counted(limit: u8) {
    for i in 0..limit {
        yield_!(i);
    }
}

#[async_try_stream(ok = u8, error = String, boxed)]
async fn checked(limit: u8) {
    for i in 0..limit {
        if i == 2 {
            Err(String::from("two"))?;
        }
        yield_!(i);
    }
}

#[async_stream(item = u8, boxed_local)]
async fn doubled() {
    #[for_await]
    for i in counted(3) {
        yield_!(i * 2);
    }
}

/// `#[for_await]` on a plain `async fn`, not a generator.
#[for_await]
async fn total(limit: u8) -> u32 {
    let mut sum = 0;
    #[for_await]
    for i in counted(limit) {
        sum += u32::from(i);
    }
    sum
}

#[test]
fn attribute_forms_expand_without_the_real_core_at_the_root() {
    assert_eq!(block_on(counted(3).collect::<Vec<_>>()), [0, 1, 2]);
    let got = block_on(checked(5).collect::<Vec<_>>());
    assert_eq!(got, [Ok(0), Ok(1), Err(String::from("two"))]);
    assert_eq!(block_on(doubled().collect::<Vec<_>>()), [0, 2, 4]);
    assert_eq!(block_on(total(5)), 10);
}

#[test]
fn macro_forms_expand_without_the_real_core_at_the_root() {
    let plain = stream! {
        for await i in counted(2) {
            yield i + 10;
        }
    };
    assert_eq!(block_on(plain.collect::<Vec<_>>()), [10, 11]);
    let tried = try_stream!(<u8, String> {
        yield 1;
        Err(String::from("end"))?;
    });
    assert_eq!(
        block_on(tried.collect::<Vec<_>>()),
        [Ok(1), Err(String::from("end"))]
    );
    let empty = try_stream! {
        return;
    };
    let none: Vec<Result<(), String>> = block_on(empty.collect());
    assert!(none.is_empty());
}
