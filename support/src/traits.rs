//! Runtime of the traits extension.

/// Items that generated code reaches through `async_ext::__private`.
pub(crate) mod private {}
