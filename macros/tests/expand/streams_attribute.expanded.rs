fn evens(limit: u32) -> impl ::async_ext::__private::Stream<Item = u32> {
    let __async_ext_stream = ::async_ext::__private::stream_new::<
        u32,
        _,
        _,
    >(move |
        #[allow(unused_mut)]
        mut __async_ext_yielder: ::async_ext::__private::Yielder<u32>|
    async move {
        #[allow(
            clippy::redundant_locals,
            clippy::shadow_same,
            clippy::shadow_unrelated,
            clippy::used_underscore_binding,
            clippy::no_effect_underscore_binding,
            clippy::toplevel_ref_arg,
        )]
        let limit = limit;
        for i in (0..limit).step_by(2) {
            {
                let __async_ext_item: u32 = i;
                __async_ext_yielder.yield_item(__async_ext_item).await;
            };
        }
    });
    __async_ext_stream
}
