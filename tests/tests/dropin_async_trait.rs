//! Drop-in for async-trait: the shapes async-trait's own suite checks, written as our own
//! cases, one module each, with the import being the only difference from async-trait code.

use async_ext::async_trait_ext;
use async_ext_tests::yield_now;
use futures::executor::block_on;

/// `#[tracing::instrument]` on a native-mode impl method (a plain `async fn`): its span is
/// entered while the future runs, called directly and through the companion.
mod tracing_instrument_native {
    use super::*;
    use async_ext_tests::tracing_recorder::{Recorder, seen};

    #[async_trait_ext(native, dyn = DynGreeter)]
    trait Greeter {
        async fn greet(&self, name: &'static str) -> String;
    }

    #[derive(Debug)]
    struct Polite;

    impl Greeter for Polite {
        #[tracing::instrument(skip(self))]
        async fn greet(&self, name: &'static str) -> String {
            yield_now().await;
            tracing::info!("greeting");
            format!("hello {name}")
        }
    }

    #[test]
    fn static_and_dynamic_calls_run_inside_the_span() {
        let events = Recorder::record(|| {
            assert_eq!(block_on(Polite.greet("ann")), "hello ann");
            let erased = DynGreeter::boxed(Polite);
            assert_eq!(block_on(erased.greet("bob")), "hello bob");
        });
        assert_eq!(
            events,
            [
                seen("greeting", &["greet{name=\"ann\"}"]),
                seen("greeting", &["greet{name=\"bob\"}"])
            ]
        );
    }
}

/// `let _ = &mut self;` in an `&mut self` method (accepted by async-trait since 0.1.91).
mod borrow_of_mut_self {
    use super::*;

    #[async_trait_ext]
    trait Bump {
        async fn bump(&mut self) -> ();
    }

    struct Counter(u32);

    #[async_trait_ext]
    impl Bump for Counter {
        async fn bump(&mut self) -> () {
            let _ = &mut self;
            yield_now().await;
            self.0 += 1;
        }
    }

    #[test]
    fn the_method_still_mutates_its_receiver() {
        let mut counter = Counter(1);
        block_on(counter.bump());
        block_on(counter.bump());
        assert_eq!(counter.0, 3);
    }
}

/// `#[cfg]` on a method's generic parameter, together with the argument that uses it.
mod cfg_on_method_generics {
    #![allow(clippy::non_minimal_cfg)] // `any()`/`all()`: always off/on
    use super::*;

    #[async_trait_ext]
    trait Configured {
        async fn without<#[cfg(any())] T: Send>(&self, #[cfg(any())] t: T) -> u32;
        async fn with<#[cfg(all())] T: Send + Into<u32>>(&self, #[cfg(all())] t: T) -> u32;
    }

    struct Base(u32);

    #[async_trait_ext]
    impl Configured for Base {
        async fn without<#[cfg(any())] T: Send>(&self, #[cfg(any())] t: T) -> u32 {
            self.0
        }
        async fn with<#[cfg(all())] T: Send + Into<u32>>(&self, #[cfg(all())] t: T) -> u32 {
            yield_now().await;
            self.0 + t.into()
        }
    }

    #[test]
    fn the_configured_out_parameter_is_gone_and_the_kept_one_works() {
        assert_eq!(block_on(Base(40).without()), 40);
        assert_eq!(block_on(Base(40).with(2u8)), 42);
    }
}

/// A destructuring argument mixing moved, `ref mut` and `ref` bindings: the body sees the
/// bindings exactly as a sync fn would, and a `ref mut` binding can be written through.
mod ref_bindings_in_pattern_argument {
    use super::*;

    #[async_trait_ext]
    trait Mixer {
        async fn mix(&self, parts: (u8, u8, u8, u8)) -> u32;
    }

    struct Digits;

    #[async_trait_ext]
    impl Mixer for Digits {
        async fn mix(&self, (a, ref mut b, ref c, d): (u8, u8, u8, u8)) -> u32 {
            *b += 1;
            yield_now().await;
            let b: &u8 = b;
            let c: &u8 = c;
            u32::from(a) * 1000 + u32::from(*b) * 100 + u32::from(*c) * 10 + u32::from(d)
        }
    }

    #[test]
    fn bindings_are_usable_across_an_await() {
        assert_eq!(block_on(Digits.mix((1, 2, 3, 4))), 1334);
        let shared: &dyn Mixer = &Digits;
        assert_eq!(block_on(shared.mix((9, 0, 0, 9))), 9109);
    }
}

/// `#[tracing::instrument]` on an impl method: its span is entered while the future runs, so
/// events in the body (before and after an await) are inside it, nested calls nest, and the
/// arguments are recorded as fields (with `skip(self)` honoured).
mod tracing_instrument_boxed {
    use super::*;
    use async_ext_tests::tracing_recorder::{Recorder, seen};

    #[async_trait_ext]
    trait Account {
        async fn deposit(&mut self, amount: u32) -> u32;
        async fn audit(&self) -> u32;
    }

    #[derive(Debug)]
    struct Wallet(u32);

    #[async_trait_ext]
    impl Account for Wallet {
        #[tracing::instrument(skip(self))]
        async fn deposit(&mut self, amount: u32) -> u32 {
            tracing::info!("depositing");
            yield_now().await;
            self.0 += amount;
            self.audit().await
        }

        #[tracing::instrument(skip(self), fields(balance = self.0))]
        async fn audit(&self) -> u32 {
            yield_now().await;
            tracing::info!("auditing");
            self.0
        }
    }

    #[test]
    fn the_body_runs_inside_the_span() {
        let mut total = 0;
        let events = Recorder::record(|| total = block_on(Wallet(5).deposit(3)));
        assert_eq!(total, 8);
        assert_eq!(
            events,
            [
                seen("depositing", &["deposit{amount=3}"]),
                seen("auditing", &["deposit{amount=3}", "audit{balance=8}"]),
            ]
        );
    }

    #[test]
    fn through_dyn_too() {
        let mut wallet: Box<dyn Account> = Box::new(Wallet(0));
        let events = Recorder::record(|| {
            block_on(wallet.deposit(2));
        });
        assert_eq!(events[0], seen("depositing", &["deposit{amount=2}"]));
        assert_eq!(events.len(), 2);
    }

    #[test]
    fn creating_the_future_enters_nothing_visible() {
        // The span is entered around the body, not around building the future: an event
        // logged between the call and the first poll is outside it.
        let events = Recorder::record(|| {
            let mut wallet = Wallet(0);
            let future = wallet.deposit(1);
            tracing::info!("between");
            block_on(future);
        });
        assert_eq!(events[0], seen("between", &[]));
        assert_eq!(events[1], seen("depositing", &["deposit{amount=1}"]));
    }
}

/// A `_`-bound reference argument is not captured by the future, so the type behind it need
/// not be `Sync` (`Cell` is not): as with async-trait, only what the body uses is captured.
mod underscore_reference_argument {
    use super::*;
    use std::cell::Cell;

    #[async_trait_ext]
    trait Visitor<T> {
        async fn visit(&self, thing: &T) -> u32;
    }

    struct Ignores;

    #[async_trait_ext]
    impl<T> Visitor<T> for Ignores {
        async fn visit(&self, _: &T) -> u32 {
            yield_now().await;
            7
        }
    }

    struct IgnoresAll;

    #[async_trait_ext]
    impl<T> Visitor<(T, T, T)> for IgnoresAll {
        async fn visit(&self, (_a, _b, _c): &(T, T, T)) -> u32 {
            yield_now().await;
            3
        }
    }

    #[test]
    fn a_value_that_is_not_sync_can_be_passed_by_reference() {
        let cell = Cell::new(1u8);
        assert_eq!(block_on(Ignores.visit(&cell)), 7);
        let cells = (Cell::new(1u8), Cell::new(2u8), Cell::new(3u8));
        assert_eq!(block_on(IgnoresAll.visit(&cells)), 3);
        // The values were only lent: still there, unchanged.
        assert_eq!(cell.get() + cells.0.get() + cells.2.get(), 5);
    }
}
