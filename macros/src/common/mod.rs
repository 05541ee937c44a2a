//! What several extensions share: option parsing, the path to the runtime, error output,
//! the one `for await` rewriter and the naming of a signature's elided lifetimes.

pub(crate) mod crate_path;
pub(crate) mod errors;
pub(crate) mod for_await;
pub(crate) mod lifetimes;
pub(crate) mod macro_input;
pub(crate) mod options;
