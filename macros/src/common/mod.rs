//! What several extensions share: option parsing, the path to the runtime, error output,
//! the one `for await` rewriter, the naming of a signature's elided lifetimes, and the one
//! syntax-tree walk every pass shares (`walk`: no other `VisitMut` impl, see there why).

#[cfg(any(
    feature = "traits",
    feature = "closures",
    feature = "streams",
    feature = "async-drop"
))]
pub(crate) mod async_body;
pub(crate) mod crate_path;
pub(crate) mod errors;
#[cfg(feature = "for-await")]
pub(crate) mod for_await;
#[cfg(any(feature = "traits", feature = "streams"))]
pub(crate) mod lifetimes;
// Other macros' input, scanned for `yield` and `#[for_await]` loops.
#[cfg(feature = "for-await")]
pub(crate) mod macro_input;
#[cfg(feature = "for-await")] // and so with every extension that parses options
pub(crate) mod options;
#[cfg(feature = "for-await")] // and so with every extension
pub(crate) mod spans;
#[cfg(any(feature = "traits", feature = "streams"))]
pub(crate) mod types;
#[cfg(feature = "for-await")] // and so with every extension
pub(crate) mod walk;
