async fn total(numbers: impl Stream<Item = u32>) -> u32 {
    let mut sum = 0;
    {
        let mut __async_ext_stream = ::async_ext::__private::core::pin::pin!(
            ::async_ext::__private::loop_stream(numbers)
        );
        while let ::async_ext::__private::core::option::Option::Some(__async_ext_item) = ::async_ext::__private::next(
                ::async_ext::__private::core::pin::Pin::as_mut(&mut __async_ext_stream),
            )
            .await
        {
            let x = __async_ext_item;
            sum += x;
        }
    }
    sum
}
