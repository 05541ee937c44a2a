async_closure!({ let mut n = 0u32; let p = x.clone(); } async |step: u32| -> String {
    n += step;
    format!("{p}{n}")
});
