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
    #[allow(clippy::unused_self)]
    fn __async_ext_asyncness_of_get(&self) -> ((), (), (), ())
    where
        Self: ::core::marker::Sized,
    {
        ((), (), (), ())
    }
    #[doc(hidden)]
    #[allow(clippy::unused_self)]
    fn __async_ext_asyncness_of_put(&self) -> ((), (), (), ())
    where
        Self: ::core::marker::Sized,
    {
        ((), (), (), ())
    }
    #[doc(hidden)]
    #[allow(clippy::unused_self)]
    fn __async_ext_asyncness_of_len(&self) -> ((), (), (), ())
    where
        Self: ::core::marker::Sized,
    {
        ((), (), (), ())
    }
    #[doc(hidden)]
    #[allow(clippy::unused_self)]
    fn __async_ext_asyncness_of_name(&self) -> ((),)
    where
        Self: ::core::marker::Sized,
    {
        ((),)
    }
}
