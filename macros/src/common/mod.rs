//! What several extensions share: option parsing, the path to the runtime, error output,
//! the one `for await` rewriter and the naming of a signature's elided lifetimes.
//!
//! Compile time: every `VisitMut`/`Visit` impl compiles its own copy of syn's walk over all it
//! can reach, and from a type or a pattern that is every expression (`[u8; N]`, `1..=9`),
//! statement and item: about 180 functions. A visitor of types or patterns, where an
//! expression holds nothing it looks for, overrides `visit_expr(_mut)` to stop there and
//! compiles about 50.

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
#[cfg(any(feature = "traits", feature = "streams"))]
pub(crate) mod types;
