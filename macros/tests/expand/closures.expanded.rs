{
    #[allow(non_camel_case_types)]
    #[derive(::core::clone::Clone, ::core::marker::Copy)]
    struct n<T> {
        value: T,
    }
    #[allow(non_camel_case_types)]
    #[derive(::core::clone::Clone, ::core::marker::Copy)]
    struct p<T> {
        value: T,
    }
    #[allow(clippy::redundant_locals)]
    let n = 0u32;
    #[allow(clippy::redundant_locals)]
    let p = x.clone();
    ::async_ext::__private::a1::closure_mut::<
        dyn for<'__async_ext_x0, '__async_ext_x1, '__async_ext_x2, '__async_ext_x3> ::async_ext::__private::ArgType<
            '__async_ext_x0,
            '__async_ext_x1,
            '__async_ext_x2,
            '__async_ext_x3,
            Of = u32,
        >,
        _,
        _,
        _,
        _,
    >(
        (n { value: n }, p { value: p }),
        async |__async_ext_state: &mut _, __async_ext_arg0: u32| -> String {
            let (n, p) = (
                &mut __async_ext_state.0.value,
                &__async_ext_state.1.value,
            );
            #[allow(
                clippy::redundant_locals,
                clippy::shadow_same,
                clippy::shadow_unrelated,
                clippy::used_underscore_binding,
                clippy::no_effect_underscore_binding,
                clippy::toplevel_ref_arg,
            )]
            let step = __async_ext_arg0;
            *n += step;
            format!("{p}{n}")
        },
        async |
            (mut __async_ext_state, __async_ext_body): (_, _),
            __async_ext_arg0: u32,
        | -> String {
            __async_ext_body(&mut __async_ext_state, __async_ext_arg0).await
        },
    )
}
