use async_ext::async_closure;

fn main() {
    let _parse = async_closure!(async |s: &str| {
        let value: u32 = s.parse()?;
        Ok(value)
    });
}
