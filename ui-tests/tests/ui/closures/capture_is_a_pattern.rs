use async_ext::async_closure;

fn main() {
    let _sum = async_closure!({ let (a, b) = (1u32, 2u32); } async |x: u32| a + b + x);
}
