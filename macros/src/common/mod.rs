//! What several extensions share: option parsing, the path to the runtime, error output and
//! the one `for await` rewriter.

pub(crate) mod crate_path;
pub(crate) mod errors;
pub(crate) mod for_await;
pub(crate) mod options;
