use async_ext::async_trait_ext;

#[async_trait_ext(native)]
trait Render {
    fn render(
        &self,
        #[cfg(unix)] a: u8,
        #[cfg(windows)] b: u8,
        #[cfg(test)] c: u8,
        #[cfg(debug_assertions)] d: u8,
        #[cfg(target_os = "linux")] e: u8,
    ) -> String;
}

fn main() {}
