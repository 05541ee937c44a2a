use async_ext::async_trait_ext;

#[async_trait_ext(native)]
pub trait Store {
    async fn get(&self) -> u32;
}

// The companion is unsized, like any `dyn` value: it lives behind a pointer.
fn keep(store: DynStore<'static>) -> u32 {
    let _ = store;
    0
}

fn main() {}
