use async_ext::async_trait_ext;

#[async_trait_ext]
struct Store {
    items: Vec<u8>,
}

fn main() {}
