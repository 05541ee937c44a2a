use async_ext::async_closure;

fn main() {
    let _take = async_closure!({ let mut calls = 0u32; let name = String::from("x"); }
        async || -> String {
            calls += 1;
            name
        });
}
