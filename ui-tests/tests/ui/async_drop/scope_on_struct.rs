use async_ext::async_scope;

#[async_scope]
struct Handler;

fn main() {}
