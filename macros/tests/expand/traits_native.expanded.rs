#[doc(hidden)]
#[allow(
    dead_code,
    non_camel_case_types,
    non_snake_case,
    clippy::pub_underscore_fields,
    clippy::struct_field_names,
)]
pub struct __AsyncExtRecordsOfStore<__AsyncExtUnrecorded> {
    pub get: ((), (), (), ()),
    pub put: ((), (), (), ()),
    pub len: ((), (), (), ()),
    pub name: ((),),
    pub __async_ext_unrecorded: __AsyncExtUnrecorded,
}
impl<__AsyncExtUnrecorded> ::core::ops::Deref
for __AsyncExtRecordsOfStore<__AsyncExtUnrecorded> {
    type Target = __AsyncExtUnrecorded;
    fn deref(&self) -> &__AsyncExtUnrecorded {
        &self.__async_ext_unrecorded
    }
}
pub trait Store {
    /// Looks a key up.
    fn get(
        &self,
        key: &str,
    ) -> impl ::core::future::Future<Output = Option<u32>> + ::core::marker::Send;
    fn put(
        &mut self,
        key: String,
        value: u32,
    ) -> impl ::core::future::Future<Output = ()> + ::core::marker::Send;
    #[allow(clippy::async_yields_async)]
    fn len(&self) -> impl ::core::future::Future<Output = usize> + ::core::marker::Send
    where
        Self: ::async_ext::__private::DefaultBodySync,
    {
        async move {
            if let ::core::option::Option::Some(__async_ext_ret) = ::core::option::Option::None::<
                usize,
            > {
                #[allow(unreachable_code)] return __async_ext_ret;
            }
            let _ = &self;
            0
        }
    }
    fn name(&self) -> &str;
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
            get: ((), (), (), ()),
            put: ((), (), (), ()),
            len: ((), (), (), ()),
            name: ((),),
            __async_ext_unrecorded: unrecorded,
        }
    }
}
