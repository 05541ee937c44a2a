//! What several extensions share: option parsing, the path to the runtime, error output,
//! the one `for await` rewriter and the naming of a signature's elided lifetimes.

pub(crate) mod crate_path;
pub(crate) mod errors;
#[cfg(feature = "for-await")]
pub(crate) mod for_await;
#[cfg(any(feature = "traits", feature = "streams"))]
pub(crate) mod lifetimes;
#[cfg(feature = "for-await")] // and so with every extension that parses options
pub(crate) mod options;
