use async_ext::async_closure;

fn main() {
    let count = async_closure!(async |n: u32| -> u32 {
        #[for_await]
        while n > 0 {}
        n
    });
    drop(count);
}
