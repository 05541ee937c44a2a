use async_ext::for_await;

#[for_await]
async fn sum(numbers: Vec<u32>) -> u32 {
    let mut sum = 0;
    #[for_await]
    for x in numbers {
        sum += x;
    }
    sum
}

fn main() {
    drop(sum(vec![1, 2]));
}
