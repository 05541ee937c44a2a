pub trait Store {
    fn get(
        &self,
        key: &str,
    ) -> impl ::core::future::Future<Output = Option<u32>> + ::core::marker::Send;
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
    fn __async_ext_asyncness_of_name(&self) -> ((),)
    where
        Self: ::core::marker::Sized,
    {
        ((),)
    }
}
///The object-safe form of [`Store`] behind [`DynStore`]; implemented for every implementor.
#[doc(hidden)]
pub trait __DynStoreErased {
    fn __dyn_get<'__life0, '__life1, '__fut>(
        &'__life0 self,
        __arg1: &'__life1 str,
    ) -> ::async_ext::__private::SendInlineFuture<'__fut, Option<u32>>
    where
        '__life0: '__fut,
        '__life1: '__fut,
        Self: '__fut;
    fn __dyn_name(&self) -> &str;
}
impl<__AsyncExtImpl> __DynStoreErased for __AsyncExtImpl
where
    __AsyncExtImpl: Store + ::core::marker::Send + ::core::marker::Sync,
{
    #[inline]
    fn __dyn_get<'__life0, '__life1, '__fut>(
        &'__life0 self,
        __arg1: &'__life1 str,
    ) -> ::async_ext::__private::SendInlineFuture<'__fut, Option<u32>>
    where
        '__life0: '__fut,
        '__life1: '__fut,
        Self: '__fut,
    {
        ::async_ext::__private::SendInlineFuture::new(
            <__AsyncExtImpl as Store>::get(self, __arg1),
        )
    }
    #[inline]
    fn __dyn_name(&self) -> &str {
        <__AsyncExtImpl as Store>::name(self)
    }
}
///Dynamic dispatch for [`Store`]: a `dyn` value of any implementor, made with `DynStore::boxed(value)`, `DynStore::from_ref(&value)` or `DynStore::from_mut(&mut value)`. It implements [`Store`] itself, and so do `Box`, `&`, `&mut` and `Arc` of it where the methods' receivers allow. An async call through it allocates nothing when the implementor's future fits in 128 bytes, and boxes it otherwise.
pub type DynStore<'a> = dyn __DynStoreErased + ::core::marker::Send + ::core::marker::Sync + 'a;
impl<'a> dyn __DynStoreErased + ::core::marker::Send + ::core::marker::Sync + 'a {
    ///Moves `value` into an owning, boxed `DynStore`.
    #[must_use]
    pub fn boxed(
        value: impl Store + ::core::marker::Send + ::core::marker::Sync + 'a,
    ) -> ::async_ext::__private::Box<Self> {
        ::async_ext::__private::Box::new(value)
    }
    ///Turns a boxed implementor of [`Store`] into a boxed `DynStore`, without allocating.
    #[must_use]
    pub fn from_box(
        value: ::async_ext::__private::Box<
            impl Store + ::core::marker::Send + ::core::marker::Sync + 'a,
        >,
    ) -> ::async_ext::__private::Box<Self> {
        value
    }
    ///Views `&value` as a `&DynStore`, without allocating.
    #[must_use]
    pub fn from_ref(
        value: &'a (impl Store + ::core::marker::Send + ::core::marker::Sync + 'a),
    ) -> &'a Self {
        value
    }
    ///Views `&mut value` as a `&mut DynStore`, without allocating.
    #[must_use]
    pub fn from_mut(
        value: &'a mut (impl Store + ::core::marker::Send + ::core::marker::Sync + 'a),
    ) -> &'a mut Self {
        value
    }
}
impl<'a> Store
for dyn __DynStoreErased + ::core::marker::Send + ::core::marker::Sync + 'a {
    #[inline]
    fn get(
        &self,
        __arg1: &str,
    ) -> impl ::core::future::Future<Output = Option<u32>> + ::core::marker::Send {
        #[allow(clippy::async_yields_async)]
        let __async_ext_future = async move {
            <Self as __DynStoreErased>::__dyn_get(self, __arg1).await
        };
        __async_ext_future
    }
    #[inline]
    fn name(&self) -> &str {
        <Self as __DynStoreErased>::__dyn_name(self)
    }
}
impl<'a> Store
for ::async_ext::__private::Box<
    dyn __DynStoreErased + ::core::marker::Send + ::core::marker::Sync + 'a,
> {
    #[inline]
    fn get(
        &self,
        __arg1: &str,
    ) -> impl ::core::future::Future<Output = Option<u32>> + ::core::marker::Send {
        <dyn __DynStoreErased + ::core::marker::Send + ::core::marker::Sync + 'a as Store>::get(
            &**self,
            __arg1,
        )
    }
    #[inline]
    fn name(&self) -> &str {
        <dyn __DynStoreErased + ::core::marker::Send + ::core::marker::Sync + 'a as Store>::name(
            &**self,
        )
    }
}
impl<'a> Store
for &(dyn __DynStoreErased + ::core::marker::Send + ::core::marker::Sync + 'a) {
    #[inline]
    fn get(
        &self,
        __arg1: &str,
    ) -> impl ::core::future::Future<Output = Option<u32>> + ::core::marker::Send {
        <dyn __DynStoreErased + ::core::marker::Send + ::core::marker::Sync + 'a as Store>::get(
            &**self,
            __arg1,
        )
    }
    #[inline]
    fn name(&self) -> &str {
        <dyn __DynStoreErased + ::core::marker::Send + ::core::marker::Sync + 'a as Store>::name(
            &**self,
        )
    }
}
impl<'a> Store
for &mut (dyn __DynStoreErased + ::core::marker::Send + ::core::marker::Sync + 'a) {
    #[inline]
    fn get(
        &self,
        __arg1: &str,
    ) -> impl ::core::future::Future<Output = Option<u32>> + ::core::marker::Send {
        <dyn __DynStoreErased + ::core::marker::Send + ::core::marker::Sync + 'a as Store>::get(
            &**self,
            __arg1,
        )
    }
    #[inline]
    fn name(&self) -> &str {
        <dyn __DynStoreErased + ::core::marker::Send + ::core::marker::Sync + 'a as Store>::name(
            &**self,
        )
    }
}
impl<'a> Store
for ::async_ext::__private::Arc<
    dyn __DynStoreErased + ::core::marker::Send + ::core::marker::Sync + 'a,
> {
    #[inline]
    fn get(
        &self,
        __arg1: &str,
    ) -> impl ::core::future::Future<Output = Option<u32>> + ::core::marker::Send {
        <dyn __DynStoreErased + ::core::marker::Send + ::core::marker::Sync + 'a as Store>::get(
            &**self,
            __arg1,
        )
    }
    #[inline]
    fn name(&self) -> &str {
        <dyn __DynStoreErased + ::core::marker::Send + ::core::marker::Sync + 'a as Store>::name(
            &**self,
        )
    }
}
