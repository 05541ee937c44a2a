use async_ext::async_closure;

// No attribute on the fn: `async_closure!` rewrites the loop in its own body.
fn main() {
    let sum = async_closure!(async |numbers: Vec<u32>| -> u32 {
        let mut sum = 0;
        #[for_await]
        for x in numbers {
            sum += x;
        }
        sum
    });
    drop(sum);
}
