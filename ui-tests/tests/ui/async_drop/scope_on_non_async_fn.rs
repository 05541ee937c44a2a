use async_ext::async_scope;

#[async_scope]
fn handle(value: u32) -> u32 {
    value + 1
}

fn main() {
    assert_eq!(handle(1), 2);
}
