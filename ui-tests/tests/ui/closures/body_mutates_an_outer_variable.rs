use async_ext::async_closure;

fn main() {
    let mut log = Vec::new();
    // Outer variables are borrowed shared; the fix (in the guide) is a capture
    // `{ let mut log = &mut log; }`.
    let _push = async_closure!(async |x: u32| {
        log.push(x);
    });
}
