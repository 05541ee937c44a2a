use async_ext::async_closure;

fn main() {
    let _c = async_closure!(async |a: u8, b: u8, c: u8, d: u8, e: u8, f: u8, g: u8, h: u8, i: u8, j: u8, k: u8, l: u8, m: u8| a);
}
