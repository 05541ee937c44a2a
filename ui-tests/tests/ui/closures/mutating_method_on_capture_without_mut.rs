use async_ext::async_closure;

fn main() {
    let _c = async_closure!({ let items: Vec<u32> = Vec::new(); } async |x: u32| -> usize {
        items.push(x);
        items.len()
    });
}
