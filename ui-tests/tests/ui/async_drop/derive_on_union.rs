use async_ext::AsyncDrop;

#[derive(AsyncDrop)]
union Bits {
    int: u32,
    float: f32,
}

fn main() {}
