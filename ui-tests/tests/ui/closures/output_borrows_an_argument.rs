use async_ext::{AsyncFn, async_closure};

fn main() {
    let first = async_closure!(async |s: &str| -> &str { s.split(',').next().unwrap_or("") });
    // No second error here: after an error the macro still gives a callable closure.
    let _ = first.call(("a,b",));
}
