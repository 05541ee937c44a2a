#[doc(hidden)]
#[allow(dead_code, unreachable_pub, unused_extern_crates)]
mod __async_ext_boxed_fd545a986e1e1a78 {
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
impl Store for Memory {
    #[allow(clippy::async_yields_async)]
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
        __async_ext_boxed_fd545a986e1e1a78::Box<
            dyn ::core::future::Future<
                Output = Option<u32>,
            > + ::core::marker::Send + 'async_trait,
        >,
    >
    where
        'life0: 'async_trait,
        'life1: 'async_trait,
        Self: 'async_trait,
    {
        __async_ext_boxed_fd545a986e1e1a78::SendBox::pin(async move {
            if let ::core::option::Option::Some(__async_ext_ret) = ::core::option::Option::None::<
                Option<u32>,
            > {
                #[allow(unreachable_code)] return __async_ext_ret;
            }
            #[allow(unused_mut)]
            let __async_ext_self = self;
            __async_ext_self.0.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
        })
    }
}
const _: () = {
    #[allow(dead_code)]
    struct __AsyncExtUnknownRecords {
        get: ((), (), (), (), ()),
    }
    trait __AsyncExtNoRecords {
        #[allow(non_snake_case)]
        fn __async_ext_records_of_Store<__AsyncExtUnrecorded>(
            &self,
            unrecorded: __AsyncExtUnrecorded,
        ) -> __AsyncExtUnrecorded {
            unrecorded
        }
    }
    impl<T: ?::core::marker::Sized> __AsyncExtNoRecords for &T {}
    #[allow(
        dead_code,
        unused_variables,
        single_use_lifetimes,
        unused_lifetimes,
        clippy::extra_unused_lifetimes,
        clippy::extra_unused_type_parameters,
    )]
    fn probe<__AsyncExtImplementor: Store>(__async_ext_this: &__AsyncExtImplementor) {
        let __async_ext_records = __async_ext_this
            .__async_ext_records_of_Store(__AsyncExtUnknownRecords {
                get: ((), (), (), (), ()),
            });
        ::async_ext::__private::async_in_impl(__async_ext_records.get);
        ::async_ext::__private::boxed_impl_of(__async_ext_records.get);
    }
};
