use async_ext::async_closure;

fn main() {
    let _name = async_closure!({ let name = String::from("ferris"); }
        async || -> Option<&'_ str> { Some(&name) });
}
