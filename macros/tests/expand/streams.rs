stream! {
    for i in 0..n {
        yield i;
    }
}
