use async_ext::{AsyncDrop, async_scope, defer_async};
use async_ext_tests::{Log, yield_now};

struct Res {
    name: &'static str,
    log: Log,
}

impl AsyncDrop for Res {
    async fn async_drop(&mut self) {
        self.log.push(format!("{} closing", self.name));
        yield_now().await;
        self.log.push(format!("{} closed", self.name));
    }
}

#[async_scope]
async fn normal(log: Log, #[async_drop] a: Res) -> Result<u32, String> {
    #[async_drop]
    let b = Res {
        name: "b",
        log: log.clone(),
    };
    defer_async!(async {
        yield_now().await;
        log.push("deferred");
    });
    log.push(format!("body {} {}", a.name, b.name));
    yield_now().await;
    Ok(1)
}

#[test]
fn smoke() {
    let log = Log::default();
    let r = futures::executor::block_on(normal(
        log.clone(),
        Res {
            name: "a",
            log: log.clone(),
        },
    ));
    assert_eq!(r, Ok(1));
    assert_eq!(
        log.events(),
        [
            "body a b",
            "deferred",
            "b closing",
            "b closed",
            "a closing",
            "a closed"
        ]
    );
}
