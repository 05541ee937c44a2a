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
/// A key-value store.
/**

*Implementing `Store`:* a plain impl, no attribute, with `async fn` methods (their futures are `Send`); calls through a generic `T: Store` allocate nothing. This trait is not dyn compatible: for dynamic dispatch use [`DynStore`] (`DynStore::boxed(value)`, `DynStore::from_ref(&value)`), which implements `Store` itself.*/
pub trait Store {
    fn get(
        &self,
        key: &str,
    ) -> impl ::core::future::Future<Output = Option<u32>> + ::core::marker::Send;
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
            name: ((),),
            __async_ext_unrecorded: unrecorded,
        }
    }
}
/**The dyn-compatible form of [`Store`], which [`DynStore`] is the `dyn` of: `DynStore<'a> = dyn DynStoreObject + Send + Sync + 'a`.

Implemented for every implementor of [`Store`]; never implemented or named by hand (write `DynStore`). Its methods are hidden: call the methods of [`Store`] on a `DynStore`. This page lists `DynStore`'s constructors and its implementations of [`Store`].*/
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot become a `DynStore`: it is not an implementor of `Store` that is `Send + Sync`",
    label = "not an implementor of `Store` that is `Send + Sync`",
    note = "a `Box` of an implementor becomes a `Box<DynStore>` with `DynStore::from_box(boxed)`, a reference to one a `&DynStore` with `DynStore::from_ref(&value)` or `DynStore::from_mut(&mut value)`"
)]
pub trait DynStoreObject {
    #[doc(hidden)]
    fn __dyn_get<'__life0, '__life1, '__fut>(
        &'__life0 self,
        key: &'__life1 str,
    ) -> ::async_ext::__private::SendInlineFuture<'__fut, Option<u32>>
    where
        '__life0: '__fut,
        '__life1: '__fut,
        Self: '__fut;
    #[doc(hidden)]
    fn __dyn_name(&self) -> &str;
}
#[diagnostic::do_not_recommend]
impl<__AsyncExtImpl> DynStoreObject for __AsyncExtImpl
where
    __AsyncExtImpl: Store + ::core::marker::Send + ::core::marker::Sync,
{
    #[inline]
    fn __dyn_get<'__life0, '__life1, '__fut>(
        &'__life0 self,
        key: &'__life1 str,
    ) -> ::async_ext::__private::SendInlineFuture<'__fut, Option<u32>>
    where
        '__life0: '__fut,
        '__life1: '__fut,
        Self: '__fut,
    {
        ::async_ext::__private::SendInlineFuture::new(
            <__AsyncExtImpl as Store>::get(self, key),
        )
    }
    #[inline]
    fn __dyn_name(&self) -> &str {
        <__AsyncExtImpl as Store>::name(self)
    }
}
/**Dynamic dispatch for [`Store`]: `DynStore<'a>` holds any implementor behind a pointer, borrowing for `'a`.

* `DynStore::boxed(value)` moves a value into a `Box<DynStore<'a>>`;
* `DynStore::from_box(boxed)` turns a `Box` of an implementor into one, without allocating;
* `DynStore::from_ref(&value)` and `DynStore::from_mut(&mut value)` view a value as `&DynStore` / `&mut DynStore`, without allocating.

It implements [`Store`] itself. So do `Box<DynStore>`, `&DynStore`, `&mut DynStore` and `Arc<DynStore>`, so each goes where an `impl Store` is expected. An async call through it allocates nothing when the implementor's future fits in 128 bytes, and boxes it otherwise.

`DynStore` is `dyn DynStoreObject`: the constructors and impls are listed on [`DynStoreObject`].*/
pub type DynStore<'a> = dyn DynStoreObject + ::core::marker::Send + ::core::marker::Sync + 'a;
impl<'a> dyn DynStoreObject + ::core::marker::Send + ::core::marker::Sync + 'a {
    ///Moves `value`, any implementor of [`Store`] that is `Send + Sync`, into an owning, boxed `DynStore`.
    #[must_use]
    pub fn boxed(
        value: impl DynStoreObject + ::core::marker::Send + ::core::marker::Sync + 'a,
    ) -> ::async_ext::__private::Box<Self> {
        ::async_ext::__private::Box::new(value)
    }
    ///Turns a boxed implementor of [`Store`] into a boxed `DynStore`, without allocating.
    #[must_use]
    pub fn from_box(
        value: ::async_ext::__private::Box<
            impl DynStoreObject + ::core::marker::Send + ::core::marker::Sync + 'a,
        >,
    ) -> ::async_ext::__private::Box<Self> {
        value
    }
    ///Views `&value` as a `&DynStore`, without allocating.
    #[must_use]
    pub fn from_ref(
        value: &'a (impl DynStoreObject + ::core::marker::Send + ::core::marker::Sync + 'a),
    ) -> &'a Self {
        value
    }
    ///Views `&mut value` as a `&mut DynStore`, without allocating.
    #[must_use]
    pub fn from_mut(
        value: &'a mut (impl DynStoreObject + ::core::marker::Send + ::core::marker::Sync + 'a),
    ) -> &'a mut Self {
        value
    }
}
impl<'a> Store
for dyn DynStoreObject + ::core::marker::Send + ::core::marker::Sync + 'a {
    #[inline]
    fn get(
        &self,
        key: &str,
    ) -> impl ::core::future::Future<Output = Option<u32>> + ::core::marker::Send {
        #[allow(clippy::async_yields_async)]
        let __async_ext_future = async move {
            <Self as DynStoreObject>::__dyn_get(self, key).await
        };
        __async_ext_future
    }
    #[inline]
    fn name(&self) -> &str {
        <Self as DynStoreObject>::__dyn_name(self)
    }
}
#[doc(hidden)]
pub trait __DynStorePointer {}
impl<'a> __DynStorePointer
for ::async_ext::__private::Box<
    dyn DynStoreObject + ::core::marker::Send + ::core::marker::Sync + 'a,
> {}
impl<'a> __DynStorePointer
for &mut (dyn DynStoreObject + ::core::marker::Send + ::core::marker::Sync + 'a) {}
impl<'a> __DynStorePointer
for &(dyn DynStoreObject + ::core::marker::Send + ::core::marker::Sync + 'a) {}
impl<'a> __DynStorePointer
for ::async_ext::__private::Arc<
    dyn DynStoreObject + ::core::marker::Send + ::core::marker::Sync + 'a,
> {}
#[diagnostic::do_not_recommend]
impl<P> Store for P
where
    P: __DynStorePointer + ::core::ops::Deref,
    <P as ::core::ops::Deref>::Target: Store + ::core::marker::Send
        + ::core::marker::Sync,
{
    #[inline]
    fn get(
        &self,
        key: &str,
    ) -> impl ::core::future::Future<Output = Option<u32>> + ::core::marker::Send {
        <<P as ::core::ops::Deref>::Target as Store>::get(&**self, key)
    }
    #[inline]
    fn name(&self) -> &str {
        <<P as ::core::ops::Deref>::Target as Store>::name(&**self)
    }
}
