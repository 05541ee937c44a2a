use async_ext::stream;

fn main() {
    let _numbers = stream!(<u32, String> {
        yield 1;
    });
}
