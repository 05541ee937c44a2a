use async_ext::async_closure;

fn main() {
    let _c = async_closure!({ let total = 0u32; let label = String::new(); }
        async |x: u32| -> usize {
            let borrowed = &mut label;
            total = x;
            borrowed.len()
        });
}
