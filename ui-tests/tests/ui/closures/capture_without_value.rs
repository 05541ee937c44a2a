use async_ext::async_closure;

fn main() {
    let _count = async_closure!({ let mut n; } async |x: u32| x);
}
