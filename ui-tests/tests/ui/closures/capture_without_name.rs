use async_ext::async_closure;

fn main() {
    let _c = async_closure!({ let = 1u32; } async |x: u32| x);
}
