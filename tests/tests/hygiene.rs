//! Generated code names only absolute paths: it works next to user items that shadow the
//! prelude and `core`/`std`, in a `#![no_implicit_prelude]` module, and through a renamed
//! dependency.

// A renamed dependency, reached with `crate = ::renamed_async_ext`.
extern crate async_ext as renamed_async_ext;

/// `#[async_trait_ext]`: user items named like everything generated code uses.
mod traits_shadowing {
    #![allow(dead_code, non_camel_case_types)]

    use async_ext::async_trait_ext;

    struct Box;
    struct Pin;
    trait Future {}
    trait Send {}
    trait Sync {}
    trait Sized {}
    struct Result;
    struct Option;
    struct Some;
    struct None;
    mod core {}
    mod std {}
    mod alloc {}

    #[async_trait_ext]
    pub(crate) trait Shadowed {
        async fn add(&self, x: u32) -> u32;
        async fn default_body(&self, (a, b): (u32, u32)) -> u32 {
            // async-trait's hidden name for `self`, used as an ordinary local.
            let __self = a;
            self.add(__self + b).await
        }
        #[async_trait_ext(?Send)]
        async fn local(self: ::std::boxed::Box<Self>) -> u32;
    }

    pub(crate) struct Adder(pub(crate) u32);

    #[async_trait_ext]
    impl Shadowed for Adder {
        async fn add(&self, x: u32) -> u32 {
            // async-trait's hidden names, used as ordinary locals.
            let __ret = x;
            let __arg1 = 0;
            self.0 + __ret + __arg1
        }
        #[async_trait_ext(?Send)]
        async fn local(self: ::std::boxed::Box<Self>) -> u32 {
            self.0
        }
    }
}

/// `#[async_trait_ext]` in a module without the prelude.
mod traits_no_implicit_prelude {
    #![no_implicit_prelude]

    #[::async_ext::async_trait_ext]
    pub(crate) trait Bare {
        async fn get(&self, key: &str) -> ::core::option::Option<usize>;
        async fn by_box(self: ::std::boxed::Box<Self>) -> usize;
        async fn default_body(&self) -> usize {
            self.get("abc").await.unwrap_or(0) * 2
        }
    }

    pub(crate) struct Impl;

    #[::async_ext::async_trait_ext]
    impl Bare for Impl {
        async fn get(&self, key: &str) -> ::core::option::Option<usize> {
            ::core::option::Option::Some(key.len())
        }
        async fn by_box(self: ::std::boxed::Box<Self>) -> usize {
            7
        }
    }
}

/// `crate = path` for a renamed dependency.
mod traits_renamed_crate {
    #[renamed_async_ext::async_trait_ext(crate = ::renamed_async_ext)]
    pub(crate) trait Renamed {
        async fn value(&self) -> u8;
        async fn doubled(&self) -> u8 {
            self.value().await * 2
        }
    }

    pub(crate) struct Impl;

    #[renamed_async_ext::async_trait_ext(crate = ::renamed_async_ext)]
    impl Renamed for Impl {
        async fn value(&self) -> u8 {
            21
        }
    }
}

#[test]
fn traits_work_with_shadowed_names() {
    use traits_shadowing::{Adder, Shadowed};
    let adder = Adder(1);
    assert_eq!(futures::executor::block_on(adder.add(2)), 3);
    assert_eq!(futures::executor::block_on(adder.default_body((2, 3))), 6);
    let object: Box<dyn Shadowed + Sync> = Box::new(Adder(4));
    assert_eq!(futures::executor::block_on(object.default_body((0, 0))), 4);
    assert_eq!(futures::executor::block_on(object.local()), 4);
}

#[test]
fn traits_work_without_the_prelude() {
    use traits_no_implicit_prelude::{Bare, Impl};
    assert_eq!(futures::executor::block_on(Impl.get("ab")), Some(2));
    assert_eq!(futures::executor::block_on(Impl.default_body()), 6);
    assert_eq!(futures::executor::block_on(Box::new(Impl).by_box()), 7);
}

#[test]
fn traits_work_through_a_renamed_crate() {
    use traits_renamed_crate::{Impl, Renamed};
    let object: &(dyn Renamed + Sync) = &Impl;
    assert_eq!(futures::executor::block_on(object.doubled()), 42);
}
