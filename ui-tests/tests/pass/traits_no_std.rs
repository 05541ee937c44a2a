//! `#[async_trait_ext]` in a `#![no_std]` crate with `extern crate alloc` and no `Box` in
//! scope: generated code names only `::core` and `async_ext::__private`. (`std` is linked
//! under another name only to provide `main`'s runtime and the panic handler; `::std` paths
//! do not resolve here.)

#![no_std]
#![deny(warnings)]

extern crate alloc;
extern crate std as link_std;

use alloc::string::String;
use async_ext::async_trait_ext;
use core::future::Future;
use core::pin::pin;
use core::task::{Context, Poll, Waker};

#[async_trait_ext]
trait Store {
    async fn get(&self, key: &str) -> usize;
    async fn name(&self) -> String {
        String::from("store")
    }
    async fn by_box(self: alloc::boxed::Box<Self>) -> usize;
}

struct Memory(usize);

#[async_trait_ext]
impl Store for Memory {
    async fn get(&self, key: &str) -> usize {
        self.0 + key.len()
    }
    async fn by_box(self: alloc::boxed::Box<Self>) -> usize {
        self.0
    }
}

fn ready<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    match future.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(value) => value,
        Poll::Pending => panic!("these futures never suspend"),
    }
}

fn main() {
    let object: alloc::boxed::Box<dyn Store + Sync> = alloc::boxed::Box::new(Memory(1));
    assert_eq!(ready(object.get("ab")), 3);
    assert_eq!(ready(object.name()), "store");
    assert_eq!(ready(object.by_box()), 1);
}
