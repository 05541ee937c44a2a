async fn handle(__async_ext_param_0: Conn) -> u32 {
    let mut __async_ext_slot_0_of_conn = ::async_ext::__private::Slot::new(|| {
        &::async_ext::__private::Site {
            binding: ::core::option::Option::Some("conn"),
            function: ::core::concat!(::core::module_path!(), "::", "handle"),
            file: ::core::file!(),
            line: ::core::line!(),
            column: ::core::column!(),
        }
    });
    let mut __async_ext_slot_1_of_tx = ::async_ext::__private::Slot::new(|| {
        &::async_ext::__private::Site {
            binding: ::core::option::Option::Some("tx"),
            function: ::core::concat!(::core::module_path!(), "::", "handle"),
            file: ::core::file!(),
            line: ::core::line!(),
            column: ::core::column!(),
        }
    });
    let mut __async_ext_outcome = ::async_ext::__private::scope_body(async {
            #[allow(unused_variables)]
            let conn = ::async_ext::__private::fill(
                &mut __async_ext_slot_0_of_conn,
                __async_ext_param_0,
            );
            if let ::core::option::Option::Some(__async_ext_ret) = ::core::option::Option::None::<
                u32,
            > {
                #[allow(unreachable_code)] return __async_ext_ret;
            }
            #[allow(unused_variables)]
            let tx = {
                let __async_ext_value = conn.begin();
                ::async_ext::__private::fill(
                    &mut __async_ext_slot_1_of_tx,
                    __async_ext_value,
                )
            };
            tx.run().await
        })
        .await;
    {
        #[allow(unused_imports)]
        use ::async_ext::__private::{
            AsyncDropSlot as _, AsyncDropSlotFallback as _, AsyncDropSlotSend as _,
            RunDeferred as _, RunDeferredFallback as _,
        };
        if __async_ext_slot_1_of_tx.is_filled() {
            let __async_ext_cleaned = ::async_ext::__private::cleanup(
                    ::core::pin::pin!(
                        (& mut ::async_ext::__private::slot_of(& mut
                        __async_ext_slot_1_of_tx)).async_drop_slot()
                    ),
                )
                .await;
            __async_ext_outcome.record(__async_ext_cleaned);
            ::async_ext::__private::end_cleanup(
                &mut __async_ext_slot_1_of_tx,
                &mut __async_ext_outcome,
            );
        }
        if __async_ext_slot_0_of_conn.is_filled() {
            let __async_ext_cleaned = ::async_ext::__private::cleanup(
                    ::core::pin::pin!(
                        (& mut ::async_ext::__private::slot_of(& mut
                        __async_ext_slot_0_of_conn)).async_drop_slot()
                    ),
                )
                .await;
            __async_ext_outcome.record(__async_ext_cleaned);
            ::async_ext::__private::end_cleanup(
                &mut __async_ext_slot_0_of_conn,
                &mut __async_ext_outcome,
            );
        }
    }
    __async_ext_outcome.finish()
}
