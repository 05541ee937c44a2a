use async_ext::async_closure;

fn main() {
    let _c = async_closure!(once { let total = 0u32; } async |x: u32| -> u32 {
        total += x;
        total
    });
}
