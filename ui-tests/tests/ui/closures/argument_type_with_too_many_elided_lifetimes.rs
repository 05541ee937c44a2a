use async_ext::async_closure;

fn main() {
    let _c = async_closure!(async |x: &(&u8, &u8, &u8, &u8)| x.0 + x.1);
}
