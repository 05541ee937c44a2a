//! Runtime of the async drop extension.

/// Items that generated code reaches through `async_ext::__private`.
pub(crate) mod private {}
