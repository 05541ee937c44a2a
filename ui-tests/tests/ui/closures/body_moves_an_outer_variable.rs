use async_ext::async_closure;

fn consume(_: String) {}

fn main() {
    let outer = String::from("outer");
    let _c = async_closure!(async |x: u32| -> u32 {
        consume(outer);
        x
    });
}
