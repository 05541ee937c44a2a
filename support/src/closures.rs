//! Runtime of the closures extension.

/// Items that generated code reaches through `async_ext::__private`.
pub(crate) mod private {}
