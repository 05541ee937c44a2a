use async_ext::async_closure;

fn main() {
    let _c = async_closure!({ let n = 1u32 else { return }; } async |x: u32| n + x);
}
