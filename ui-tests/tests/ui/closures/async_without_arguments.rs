use async_ext::async_closure;

fn main() {
    let _c = async_closure!(async { 1 });
}
