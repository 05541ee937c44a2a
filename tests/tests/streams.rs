use async_ext::{stream, try_stream};
use futures::StreamExt;
use futures::executor::block_on;

#[test]
fn smoke() {
    let s = stream! {
        for i in 0..3u32 {
            yield i;
        }
    };
    assert_eq!(block_on(s.collect::<Vec<_>>()), [0, 1, 2]);
    let inner = stream! { yield 1u8; yield 2; };
    let s = stream! {
        for await x in inner {
            yield u32::from(x) * 2;
        }
    };
    assert_eq!(block_on(s.collect::<Vec<_>>()), [2, 4]);
    let s = try_stream!(<_, std::num::ParseIntError> {
        for t in ["1", "x", "3"] {
            let n: u32 = t.parse()?;
            yield n;
        }
    });
    let v = block_on(s.collect::<Vec<_>>());
    assert_eq!(v.len(), 2);
}
