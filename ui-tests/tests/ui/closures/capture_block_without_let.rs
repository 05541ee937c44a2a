use async_ext::async_closure;

fn main() {
    let _c = async_closure!({ n = 1u32; } async |x: u32| n + x);
}
