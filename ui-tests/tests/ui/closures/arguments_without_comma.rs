use async_ext::async_closure;

fn main() {
    let _c = async_closure!(async |x: u32 y: u32| x + y);
}
