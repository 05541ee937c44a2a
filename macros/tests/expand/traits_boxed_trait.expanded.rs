#[doc(hidden)]
#[allow(dead_code, unreachable_pub, unused_extern_crates)]
mod __async_ext_boxed_3f4f05811e6daa5f {
    extern crate alloc;
    pub(super) use alloc::boxed::Box;
    pub(super) struct SendBox;
    impl SendBox {
        #[inline]
        pub(super) fn pin<'a, F>(
            future: F,
        ) -> ::core::pin::Pin<
            Box<
                dyn ::core::future::Future<
                    Output = F::Output,
                > + ::core::marker::Send + 'a,
            >,
        >
        where
            F: ::core::future::Future + ::core::marker::Send + 'a,
        {
            Box::pin(future)
        }
    }
}
#[doc(hidden)]
#[allow(
    dead_code,
    non_camel_case_types,
    non_snake_case,
    clippy::pub_underscore_fields,
    clippy::struct_field_names,
)]
pub struct __AsyncExtRecordsOfStore<__AsyncExtUnrecorded> {
    pub get: ((), ()),
    pub __async_ext_unrecorded: __AsyncExtUnrecorded,
}
impl<__AsyncExtUnrecorded> ::core::ops::Deref
for __AsyncExtRecordsOfStore<__AsyncExtUnrecorded> {
    type Target = __AsyncExtUnrecorded;
    fn deref(&self) -> &__AsyncExtUnrecorded {
        &self.__async_ext_unrecorded
    }
}
/// A key-value store.
/**

*Implementing `Store`:* put `#[async_trait_ext]` on the impl too and write its methods as `async fn`. Its async methods return boxed futures (`Send`, unless a method says `?Send`), so `dyn Store` works.*/
pub trait Store {
    #[allow(
        mismatched_lifetime_syntaxes,
        clippy::type_complexity,
        clippy::type_repetition_in_bounds,
        clippy::needless_arbitrary_self_type,
    )]
    fn get<'life0, 'life1, 'async_trait>(
        &'life0 self,
        key: &'life1 str,
    ) -> ::core::pin::Pin<
        __async_ext_boxed_3f4f05811e6daa5f::Box<
            dyn ::core::future::Future<
                Output = Option<u32>,
            > + ::core::marker::Send + 'async_trait,
        >,
    >
    where
        'life0: 'async_trait,
        'life1: 'async_trait,
        Self: 'async_trait;
    #[doc(hidden)]
    #[allow(non_snake_case, clippy::unused_self)]
    fn __async_ext_records_of_Store<__AsyncExtUnrecorded>(
        &self,
        unrecorded: __AsyncExtUnrecorded,
    ) -> __AsyncExtRecordsOfStore<__AsyncExtUnrecorded>
    where
        Self: ::core::marker::Sized,
    {
        __AsyncExtRecordsOfStore {
            get: ((), ()),
            __async_ext_unrecorded: unrecorded,
        }
    }
}
