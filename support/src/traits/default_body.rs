//! Native mode's bounds on a default body of a `Send` trait. The body is written once for
//! every `Self`, and its `Send` future holds the receiver: `&Self` is `Send` only when
//! `Self: Sync`, an owned or `&mut` receiver when `Self: Send`. The trait's method carries
//! `where Self: DefaultBodySync` (or [`DefaultBodySend`]) instead of rustc's own marker, so
//! a caller whose type lacks it reads why (the default body) and what to do, not only "cannot
//! be shared between threads safely". Each is its auto trait under another name: the
//! supertrait lets the body rely on it, the blanket impl gives it to every type that has it.

/// `Sync`, required by a default body whose future holds `&self`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not `Sync`, and this method's default body needs it: its `Send` \
               future holds `&self`",
    label = "`{Self}: Sync` needed here by the trait's default body of this method",
    note = "bound the type by `Sync` where it is declared, or give the trait a `Sync` \
            supertrait, or mark the method `#[async_trait_ext(?Send)]` in the trait"
)]
pub trait DefaultBodySync: Sync {}
impl<T: ?Sized + Sync> DefaultBodySync for T {}

/// `Send`, required by a default body whose future holds an owned or `&mut` receiver.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not `Send`, and this method's default body needs it: its `Send` \
               future holds `self`",
    label = "`{Self}: Send` needed here by the trait's default body of this method",
    note = "bound the type by `Send` where it is declared, or give the trait a `Send` \
            supertrait, or mark the method `#[async_trait_ext(?Send)]` in the trait"
)]
pub trait DefaultBodySend: Send {}
impl<T: ?Sized + Send> DefaultBodySend for T {}
