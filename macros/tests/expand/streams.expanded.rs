{
    let __async_ext_stream = ::async_ext::__private::stream_new::<
        _,
        _,
        _,
    >(move |
        #[allow(unused_mut)]
        mut __async_ext_yielder: ::async_ext::__private::Yielder<_>|
    async move {
        for i in 0..n {
            __async_ext_yielder.yield_item(i).await;
        }
    });
    __async_ext_stream
}
