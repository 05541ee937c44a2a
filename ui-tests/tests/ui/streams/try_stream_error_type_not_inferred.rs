use async_ext::try_stream;

fn main() {
    let _numbers = try_stream! {
        let n: u32 = "1".parse()?;
        yield n;
    };
}
