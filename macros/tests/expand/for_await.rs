#[for_await]
async fn total(numbers: impl Stream<Item = u32>) -> u32 {
    let mut sum = 0;
    #[for_await]
    for x in numbers {
        sum += x;
    }
    sum
}
