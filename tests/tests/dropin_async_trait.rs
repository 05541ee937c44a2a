//! Drop-in for async-trait: the shapes async-trait's own suite checks, written as our own
//! cases, one module each, with the import being the only difference from async-trait code.

use async_ext::async_trait_ext;
use async_ext_tests::yield_now;
use futures::executor::block_on;

mod dropin_tracing;

/// `#[tracing::instrument]` on a native-mode impl method (a plain `async fn`): its span is
/// entered while the future runs, called directly and through the companion.
mod tracing_instrument_native {
    use super::dropin_tracing::{Recorder, seen};
    use super::*;

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
